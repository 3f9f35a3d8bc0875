package main

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

// target is where a command sends its requests.
type target struct {
	client *coupang.Client
	// sandbox is the in-process sandbox, or nil.
	sandbox *coupangtest.Server
	// real reports a Coupang account (or a proxy to one), where writes are
	// real: never a loopback sandbox.
	real bool
	// sign signs a request with the target's keys at time at; doctor uses
	// it to fake clock skew. The keys stay in the closure, out of reach of
	// fmt.
	sign func(req *http.Request, at time.Time)
}

// signer returns a sign function for the keys.
func signer(accessKey, secretKey string) func(*http.Request, time.Time) {
	return func(req *http.Request, at time.Time) { coupang.SignRequest(req, accessKey, secretKey, at) }
}

// close stops the in-process sandbox, if one was started.
func (t *target) close() {
	if t.sandbox != nil {
		t.sandbox.Close()
	}
}

// envNames are the variables that select an account.
var envNames = []string{coupang.EnvAccessKey, coupang.EnvSecretKey, coupang.EnvVendorID, coupang.EnvBaseURL}

// connect returns where to send requests, saying which on stderr:
//   - all of COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID
//     (and optionally COUPANG_BASE_URL): that account;
//   - COUPANG_BASE_URL alone at a loopback address: the sandbox there (such
//     as one started with "coupang sandbox"), with its default keys;
//   - none: a fresh in-process sandbox started with sandboxOpts.
//
// Anything else is a usage error.
func connect(stderr io.Writer, sandboxOpts ...coupangtest.Option) (*target, error) {
	var set, missing []string
	for _, name := range envNames {
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
		fmt.Fprintf(stderr, "no COUPANG_* credentials set: using a fresh in-process sandbox (run \"coupang sandbox\" for one that keeps its state)\n")
		return &target{client: client, sandbox: srv, sign: signer(srv.AccessKey, srv.SecretKey)}, nil
	case len(set) == 1 && base != "" && isLoopback(base):
		client, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID,
			coupang.WithBaseURL(base), coupang.WithRateLimit(0))
		if err != nil {
			return nil, usageErrorf("%s: %v", coupang.EnvBaseURL, err)
		}
		fmt.Fprintf(stderr, "no COUPANG_* credentials set: using the sandbox at %s with its default keys\n", client.BaseURL())
		return &target{client: client, sign: signer(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey)}, nil
	case len(missing) > 0:
		return nil, usageErrorf("%s set but %s not: set all of %s, %s and %s, or none to use the sandbox",
			strings.Join(set, ", "), strings.Join(missing, ", "), coupang.EnvAccessKey, coupang.EnvSecretKey, coupang.EnvVendorID)
	}
	// A server on this machine is a sandbox or a test double: pacing to
	// Coupang's budget would only slow it down.
	var opts []coupang.Option
	if isLoopback(base) {
		opts = append(opts, coupang.WithRateLimit(0))
	}
	client, err := coupang.NewClientFromEnv(opts...)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	real := !isLoopback(client.BaseURL())
	where := "Coupang"
	if !real {
		where = "a local server"
	}
	fmt.Fprintf(stderr, "using vendor %s at %s (%s, from the COUPANG_* environment variables)\n", client.VendorID(), client.BaseURL(), where)
	return &target{client: client, real: real, sign: signer(os.Getenv(coupang.EnvAccessKey), os.Getenv(coupang.EnvSecretKey))}, nil
}

// isLoopback reports whether rawURL names a host on this machine
// (localhost, 127.0.0.0/8 or ::1), where only a sandbox can be listening.
func isLoopback(rawURL string) bool {
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
