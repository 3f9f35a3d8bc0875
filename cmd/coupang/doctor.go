package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// envFakeSkew fakes a wrong local clock for doctor, as --fake-skew does: a
// way to see what a skewed clock looks like without changing the clock.
const envFakeSkew = "COUPANG_FAKE_SKEW"

// Check statuses.
const (
	statusOK   = "ok"
	statusFail = "fail"
	statusSkip = "skip"
)

// check is one thing doctor looked at.
type check struct {
	// Name is what was checked: environment, list call or clock.
	Name string `json:"name"`
	// Status is ok, fail or skip.
	Status string `json:"status"`
	// Detail says what was seen, without secrets.
	Detail string `json:"detail"`
	// Finding explains a failure.
	Finding *finding `json:"finding,omitempty"`
	// HTTPStatus, Message and TransactionID are Coupang's answer, if any.
	HTTPStatus    int    `json:"http_status,omitempty"`
	Message       string `json:"message,omitempty"`
	TransactionID string `json:"transaction_id,omitempty"`
}

// doctorReport is doctor's whole answer; --json prints it as is.
type doctorReport struct {
	OK       bool    `json:"ok"`
	VendorID string  `json:"vendor_id,omitempty"`
	BaseURL  string  `json:"base_url,omitempty"`
	Checks   []check `json:"checks"`
}

// doctor checks the environment, the clock against Coupang's and one list
// call, explaining each failure's cause and fix in English and Korean. It
// exits 0 only when all is well.
func doctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("doctor", `
Usage: coupang doctor [--json] [--fake-skew DURATION]

Checks the COUPANG_* variables, this machine's clock against the Date of
Coupang's answer, and one list call of one second, and explains each failure
(invalid or expired signature, keys expired after 180 days, Not allowed IP,
blocks, a wrong vendor id, the rate limit) with its cause and fix in English
and Korean. It sends one request, never retried. Exit status 0 means all is
well, 1 that a problem was found.`)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fake := fs.Duration("fake-skew", 0, "pretend the local clock is off by this much (for trying doctor out; also "+envFakeSkew+")")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	skew := *fake
	if v := os.Getenv(envFakeSkew); v != "" && skew == 0 {
		d, err := time.ParseDuration(v)
		if err != nil {
			return usageErrorf("doctor: %s=%q: want a duration such as 10m or -3m", envFakeSkew, v)
		}
		skew = d
	}
	now := func() time.Time { return time.Now().Add(skew) }

	rep := &doctorReport{}
	t, envCheck := checkEnv(stderr)
	rep.Checks = append(rep.Checks, envCheck)
	if t != nil {
		defer t.Close()
		rep.VendorID, rep.BaseURL = t.Client.VendorID(), t.Client.BaseURL()
		if skew != 0 {
			fmt.Fprintf(stderr, "doctor: faking a local clock %s the real one\n", describeSkew(skew))
		}
		call, clock := checkCall(ctx, t, now, skew != 0)
		rep.Checks = append(rep.Checks, clock, call)
	}
	rep.sanitise()
	rep.OK = true
	for _, c := range rep.Checks {
		rep.OK = rep.OK && c.Status != statusFail
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := printReport(stdout, rep); err != nil {
		return err
	}
	if !rep.OK {
		return errReported
	}
	return nil
}

// checkEnv checks the COUPANG_* variables and connects.
func checkEnv(stderr io.Writer) (*target, check) {
	c := check{Name: "environment"}
	t, err := connectEnv(stderr)
	var invalid *coupang.ValidationError
	if errors.As(err, &invalid) && invalid.Field == "baseURL" {
		// The keys may be fine: the fix is the address.
		c.Status, c.Detail = statusFail, oneLine(err.Error())
		c.Finding = &finding{
			Problem: "COUPANG_BASE_URL",
			CauseEn: "COUPANG_BASE_URL is not an address the client calls: " + oneLine(invalid.Reason) + ".",
			CauseKo: "COUPANG_BASE_URL이 클라이언트가 호출할 수 있는 주소가 아닙니다: " + oneLine(invalid.Reason) + ".",
			FixEn:   "Give COUPANG_BASE_URL an https:// address (plain http reaches only a server on this machine, such as coupang sandbox), or unset it to call Coupang at " + coupang.DefaultBaseURL + ".",
			FixKo:   "COUPANG_BASE_URL에 https:// 주소를 쓰거나(http는 coupang sandbox처럼 이 컴퓨터의 서버에만 쓸 수 있습니다), 지워서 쿠팡(" + coupang.DefaultBaseURL + ")을 호출하세요.",
		}
		return nil, c
	}
	if err != nil {
		c.Status, c.Detail = statusFail, oneLine(err.Error())
		c.Finding = &finding{
			Problem: "environment",
			CauseEn: "The COUPANG_* variables are incomplete or malformed: " + oneLine(err.Error()),
			CauseKo: "COUPANG_* 환경 변수가 빠졌거나 형식이 틀립니다: " + oneLine(err.Error()),
			FixEn:   "Set COUPANG_ACCESS_KEY and COUPANG_SECRET_KEY to the keys from WING (판매자정보 > 추가판매정보 > OPEN API 키 발급) and COUPANG_VENDOR_ID to the vendor id shown with them (A followed by digits), or none of them to try the sandbox.",
			FixKo:   "WING(판매자정보 > 추가판매정보 > OPEN API 키 발급)의 키를 COUPANG_ACCESS_KEY와 COUPANG_SECRET_KEY에, 함께 표시된 업체코드(A로 시작하는 번호)를 COUPANG_VENDOR_ID에 설정하세요. 샌드박스를 쓰려면 모두 비우세요.",
		}
		return nil, c
	}
	c.Status = statusOK
	switch {
	case t.Sandbox != nil:
		c.Detail = "no COUPANG_* variables set: checking the in-process sandbox; set your keys to check your account"
	case !t.Real:
		c.Detail = fmt.Sprintf("vendor %s at %s, a sandbox on this machine (its default keys)", t.Client.VendorID(), t.Client.BaseURL())
	default:
		c.Detail = fmt.Sprintf("COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID set; vendor %s at %s", t.Client.VendorID(), t.Client.BaseURL())
	}
	return t, c
}

// answerClock records when an answer arrived, on the (possibly faked)
// local clock, and signs with that clock.
type answerClock struct {
	next    http.RoundTripper
	now     func() time.Time
	sign    func(*http.Request, time.Time)
	fake    bool
	arrived time.Time
	date    string // the Date header of the answer
	status  int    // the HTTP status of the answer, 0 when none came
}

func (a *answerClock) RoundTrip(req *http.Request) (*http.Response, error) {
	if a.fake {
		req = req.Clone(req.Context())
		a.sign(req, a.now())
	}
	resp, err := a.next.RoundTrip(req)
	a.arrived = a.now()
	if resp != nil {
		a.date = resp.Header.Get("Date")
		a.status = resp.StatusCode
	}
	return resp, err
}

// checkCall makes one list call of one second, never retried (retries make
// an error storm, which Coupang answers with a block), and compares the
// local clock with the Date of the answer.
func checkCall(ctx context.Context, t *target, now func() time.Time, fake bool) (call, clock check) {
	call = check{Name: "list call"}
	clock = check{Name: "clock"}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	ac := &answerClock{next: http.DefaultTransport, now: now, sign: t.Sign, fake: fake}
	// The one-second range ends a few seconds ago, so that a machine
	// slightly behind or ahead does not ask for the future.
	end := time.Now().Add(-5 * time.Second).Truncate(time.Second)
	_, err := t.Client.Exchanges.List(ctx, coupang.ExchangeListOptions{CreatedAtFrom: end.Add(-time.Second), CreatedAtTo: end},
		coupang.WithMaxRetries(0),
		coupang.WithHTTPClient(&http.Client{Transport: ac, Timeout: 15 * time.Second}))

	skew, skewKnown := time.Duration(0), false
	if date, derr := http.ParseTime(ac.date); derr == nil && !ac.arrived.IsZero() {
		// Date has a resolution of a second: a skew within it is none.
		skew = ac.arrived.Truncate(time.Second).Sub(date)
		skewKnown = true
	}
	switch {
	case !skewKnown:
		clock.Status, clock.Detail = statusSkip, "not checked: no Date in an answer from the gateway"
	case absDuration(skew) > maxClockSkew:
		clock.Status = statusFail
		clock.Detail = fmt.Sprintf("this machine's clock is %s Coupang's (Date: %s)", describeSkew(skew), ac.date)
		clock.Finding = &finding{
			Problem: "clock skew",
			CauseEn: fmt.Sprintf("This machine's clock is %s Coupang's. Requests are signed with the local time, and Coupang answers a signature more than a few minutes off with \"Invalid signature.\" or \"Specified signature is expired.\".", describeSkew(skew)),
			CauseKo: fmt.Sprintf("%s 요청은 이 시계로 서명되므로, 몇 분 이상 틀리면 쿠팡이 \"Invalid signature.\" 또는 \"Specified signature is expired.\"로 거부합니다.", describeSkewKo(skew)),
			FixEn:   "Synchronise the clock with NTP (Linux: timedatectl set-ntp true; macOS and Windows: set the date and time automatically). The time zone does not matter; the clock does.",
			FixKo:   "NTP로 시계를 맞추세요 (Linux: timedatectl set-ntp true, macOS·Windows: 날짜와 시간 자동 설정). 시간대가 아니라 시각 자체가 맞아야 합니다.",
		}
	case skew == 0:
		clock.Status = statusOK
		clock.Detail = fmt.Sprintf("in step with Coupang's clock (Date: %s)", ac.date)
	default:
		clock.Status = statusOK
		clock.Detail = fmt.Sprintf("%s Coupang's clock, within the minute allowed (Date: %s)", describeSkew(skew), ac.date)
	}

	if err == nil {
		call.Status, call.HTTPStatus = statusOK, http.StatusOK
		call.Detail = "a list call of one second succeeded"
		return call, clock
	}
	var apiErr *coupang.APIError
	if errors.As(err, &apiErr) {
		call.HTTPStatus, call.Message, call.TransactionID = apiErr.StatusCode, apiErr.Message, apiErr.TransactionID
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w: %w", errTimeout, err)
	}
	f := diagnose(err, skew, skewKnown)
	if pause := (*coupang.PauseError)(nil); apiErr == nil && !errors.As(err, &pause) {
		// No answer: the fix names the gateway actually called.
		f = diagnoseTransport(err, t.Client.BaseURL(), os.Getenv(coupang.EnvBaseURL) != "")
	}
	if apiErr == nil && ac.status != 0 && !errors.Is(err, errTimeout) {
		// An answer came, but not one of Coupang's: "did not reach
		// Coupang" would send the user to the network.
		f = unreadableAnswer(ac.status)
	}
	call.Status, call.Finding = statusFail, &f
	call.Detail = answerDetail(err)
	return call, clock
}

// answerDetail describes a failed call in one line: status, message and
// transaction id, without the request path.
func answerDetail(err error) string {
	var apiErr *coupang.APIError
	if !errors.As(err, &apiErr) {
		return oneLine(strings.TrimPrefix(err.Error(), "coupang: "))
	}
	s := fmt.Sprintf("HTTP %d", apiErr.StatusCode)
	if apiErr.Message != "" {
		s += ": " + apiErr.Message
	}
	if apiErr.Location != "" {
		s += " (redirected to " + apiErr.Location + ")"
	}
	if apiErr.TransactionID != "" {
		s += " [transactionId " + apiErr.TransactionID + "]"
	}
	return oneLine(s)
}

// sanitise passes every text of the report through termsafe.Line, for the
// text and the JSON report alike: details, causes and fixes quote Coupang's
// message, its transactionId and a redirect's Location, any of which could
// hold escape sequences or bidi overrides. It walks the whole report rather
// than the places known to quote the server, so that a new one is covered.
func (rep *doctorReport) sanitise() {
	rep.VendorID, rep.BaseURL = termsafe.Line(rep.VendorID), termsafe.Line(rep.BaseURL)
	for i := range rep.Checks {
		c := &rep.Checks[i]
		for _, s := range []*string{&c.Name, &c.Status, &c.Detail, &c.Message, &c.TransactionID} {
			*s = termsafe.Line(*s)
		}
		if f := c.Finding; f != nil {
			for _, s := range []*string{&f.Problem, &f.CauseEn, &f.CauseKo, &f.FixEn, &f.FixKo} {
				*s = termsafe.Line(*s)
			}
		}
	}
}

// printReport prints the report for people.
func printReport(w io.Writer, rep *doctorReport) error {
	var b strings.Builder
	fails := 0
	for _, c := range rep.Checks {
		mark := map[string]string{statusOK: "ok  ", statusFail: "FAIL", statusSkip: "skip"}[c.Status]
		fmt.Fprintf(&b, "%s  %-12s %s\n", mark, c.Name, c.Detail)
		if f := c.Finding; f != nil {
			fails++
			fmt.Fprintf(&b, "      problem: %s\n      cause: %s\n      fix:   %s\n      원인: %s\n      해결: %s\n", f.Problem, f.CauseEn, f.FixEn, f.CauseKo, f.FixKo)
		} else if c.Status == statusFail {
			fails++
		}
	}
	if rep.OK {
		b.WriteString("All is well. 모두 정상입니다.\n")
	} else {
		fmt.Fprintf(&b, "%s found. 문제 %d건.\n", plural(fails, "problem"), fails)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// unreadableAnswer explains an answer that is neither Coupang's data nor one
// of its errors, such as an HTML page with status 200.
func unreadableAnswer(status int) finding {
	return finding{
		Problem: fmt.Sprintf("not Coupang's answer (HTTP %d)", status),
		CauseEn: "Something answered that is not Coupang's Open API: COUPANG_BASE_URL points at another server, or a proxy, firewall or captive portal answered in its place.",
		CauseKo: "쿠팡 Open API가 아닌 곳이 응답했습니다. COUPANG_BASE_URL이 다른 서버를 가리키거나, 프록시·방화벽·인증 포털이 대신 응답했습니다.",
		FixEn:   "Unset COUPANG_BASE_URL (the default is " + coupang.DefaultBaseURL + ") or correct it, and check what proxy this machine goes through (HTTPS_PROXY).",
		FixKo:   "COUPANG_BASE_URL을 지우거나(기본값 " + coupang.DefaultBaseURL + ") 고치고, 이 컴퓨터가 거치는 프록시(HTTPS_PROXY)를 확인하세요.",
	}
}
