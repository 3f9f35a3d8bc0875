// Package connect chooses where the coupang command and the examples send
// their requests: a Coupang account named by the COUPANG_* environment
// variables, a sandbox kept running on this machine ("coupang sandbox"), or
// a fresh in-process sandbox. It lives in one place so that the command and
// the examples accept the same environment and refuse the same mistakes.
package connect

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// Target is where a program sends its requests.
type Target struct {
	// Client calls Coupang or the sandbox.
	Client *coupang.Client
	// Sandbox is the in-process sandbox, or nil.
	Sandbox *coupangtest.Server
	// Real reports keys other than the sandbox's own: a Coupang account,
	// reached directly or through a forwarder, where writes are real.
	Real bool
	// Unpaced reports a client that does not pace to Coupang's budget and
	// has no vendor protection: only ever a sandbox, with its own keys, on
	// this machine (see FromEnv).
	Unpaced bool
	// Sign signs a request with the target's keys at time at (the doctor
	// command fakes clock skew with it). The keys stay in the closure, out
	// of reach of fmt.
	Sign func(req *http.Request, at time.Time)
}

// Close stops the in-process sandbox, if one was started.
func (t *Target) Close() {
	if t.Sandbox != nil {
		t.Sandbox.Close()
	}
}

// UsageError is a mistake in the environment: the caller's exit code 2.
type UsageError struct {
	msg string
	err error
}

// Error returns the message.
func (e *UsageError) Error() string { return e.msg }

// Unwrap returns the client's *coupang.ValidationError behind the mistake,
// if any, so that doctor can tell a bad COUPANG_BASE_URL from bad keys.
func (e *UsageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}

// usageErr is err, a refusal of the client, as a *UsageError.
func usageErr(format string, err error) error {
	return &UsageError{msg: fmt.Sprintf(format, err), err: err}
}

// signer returns a Sign function for the keys.
func signer(accessKey, secretKey string) func(*http.Request, time.Time) {
	return func(req *http.Request, at time.Time) { coupang.SignRequest(req, accessKey, secretKey, at) }
}

// EnvNames returns the variables that select an account; COUPANG_BASE_URL
// counts too, since setting it alone is a mistake unless it points at a
// sandbox on this machine. Tests clear them.
func EnvNames() []string {
	return []string{coupang.EnvAccessKey, coupang.EnvSecretKey, coupang.EnvVendorID, coupang.EnvBaseURL}
}

// FromEnv returns where to send requests, saying which on stderr:
//   - all of COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID
//     (and optionally COUPANG_BASE_URL): that account;
//   - COUPANG_BASE_URL alone at a loopback address: the sandbox there (one
//     started with "coupang sandbox"), with package coupangtest's default
//     keys — real keys never go to a loopback address this way, since none
//     are set;
//   - none: a fresh in-process sandbox started with sandboxOpts; hint is
//     appended to the line that says so.
//
// Setting some of the variables but not all the required ones is a
// *UsageError.
//
// Pacing and the vendor protection are on unless the keys are the
// sandbox's own (coupangtest.DefaultAccessKey and DefaultSecretKey, which no
// Coupang account has) and the server is on this machine: a sandbox, which
// pacing would only slow down. The host alone never turns them off: a
// seller may reach Coupang through a forwarder or an SSH tunnel on
// 127.0.0.1 (what COUPANG_BASE_URL is for), and unpaced bursts there draw
// 429s and lock the vendor out.
func FromEnv(stderr io.Writer, hint string, sandboxOpts ...coupangtest.Option) (*Target, error) {
	var set, missing []string
	for _, name := range EnvNames() {
		if os.Getenv(name) != "" {
			set = append(set, name)
		} else if name != coupang.EnvBaseURL {
			missing = append(missing, name)
		}
	}
	base := os.Getenv(coupang.EnvBaseURL)
	switch {
	case len(set) == 0:
		srv := coupangtest.NewServer(sandboxOpts...)
		client, err := srv.Client()
		if err != nil {
			srv.Close()
			return nil, err
		}
		fmt.Fprintf(stderr, "no COUPANG_* credentials set: using the in-process sandbox at %s%s\n", srv.URL, hint)
		return &Target{Client: client, Sandbox: srv, Unpaced: true, Sign: signer(srv.AccessKey, srv.SecretKey)}, nil
	case len(set) == 1 && base != "" && IsLoopback(base):
		client, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID,
			coupang.WithBaseURL(base), coupang.WithRateLimit(0))
		if err != nil {
			return nil, usageErr(coupang.EnvBaseURL+": %v", err)
		}
		fmt.Fprintf(stderr, "no COUPANG_* credentials set: using the sandbox at %s with its default keys\n", client.BaseURL())
		return &Target{Client: client, Unpaced: true, Sign: signer(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey)}, nil
	case len(missing) > 0:
		return nil, usagef("%s set but %s not: set all of %s, %s and %s, or none to use the sandbox",
			strings.Join(set, ", "), strings.Join(missing, ", "), coupang.EnvAccessKey, coupang.EnvSecretKey, coupang.EnvVendorID)
	}
	accessKey, secretKey := os.Getenv(coupang.EnvAccessKey), os.Getenv(coupang.EnvSecretKey)
	sandbox := SandboxKeys(accessKey, secretKey)
	var opts []coupang.Option
	if sandbox && IsLoopback(base) {
		opts = append(opts, coupang.WithRateLimit(0))
	}
	client, err := coupang.NewClientFromEnv(opts...)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	unpaced := len(opts) > 0
	var where string
	switch {
	case unpaced:
		where = "a sandbox on this machine, with its default keys"
	case IsLoopback(client.BaseURL()):
		where = "a server on this machine, paced as Coupang: a forwarder to Coupang or a test double"
	case sandbox:
		where = "the sandbox's default keys, which Coupang does not accept"
	default:
		where = "Coupang"
	}
	fmt.Fprintf(stderr, "using vendor %s at %s (%s, from the COUPANG_* environment variables)\n", client.VendorID(), client.BaseURL(), where)
	return &Target{Client: client, Real: !sandbox, Unpaced: unpaced, Sign: signer(accessKey, secretKey)}, nil
}

// SandboxKeys reports whether accessKey and secretKey are package
// coupangtest's default keys, the only ones a client may use unpaced: they
// are public, and no Coupang account has them.
func SandboxKeys(accessKey, secretKey string) bool {
	return accessKey == coupangtest.DefaultAccessKey && secretKey == coupangtest.DefaultSecretKey
}

// IsLoopback reports whether rawURL names a host on this machine
// (localhost, 127.0.0.0/8 or ::1), where only a sandbox can be listening.
func IsLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
