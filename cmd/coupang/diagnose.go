package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/connect"
)

// finding is one explained problem: what Coupang said, its cause and its fix,
// in English and Korean, for the people who run a seller's integration.
type finding struct {
	// Problem names the failure in a few words, such as "invalid signature".
	Problem string `json:"problem"`
	CauseEn string `json:"cause_en"`
	CauseKo string `json:"cause_ko"`
	FixEn   string `json:"fix_en"`
	FixKo   string `json:"fix_ko"`
}

// maxClockSkew is how far the local clock may be from Coupang's before doctor
// calls it the cause of signature failures. Coupang does not document its
// tolerance; a minute is well inside any sane one, and a correct NTP-synced
// clock is within a second.
const maxClockSkew = time.Minute

// ipPattern finds an IPv4 address in Coupang's message, if it names one.
var ipPattern = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)

// diagnose explains err, the failure of doctor's list call. skew is the
// measured clock skew (local minus Coupang), valid when skewKnown.
func diagnose(err error, skew time.Duration, skewKnown bool) finding {
	var pause *coupang.PauseError
	if errors.As(err, &pause) {
		// The client itself held the request back after seeing a block or
		// a 429 earlier: nothing was sent.
		until := pause.Until.In(coupang.KoreaLocation()).Format(timeLayout)
		return finding{
			Problem: "paused by the client",
			CauseEn: "The client is holding requests back until " + until + " (Korea time), after Coupang blocked or throttled this vendor; nothing was sent.",
			CauseKo: "쿠팡의 차단 또는 호출 제한 이후 클라이언트가 " + until + " (한국 시간)까지 요청을 보내지 않고 있습니다. 아무것도 전송되지 않았습니다.",
			FixEn:   "Wait until then, with every program using this vendor id stopped; the first request after the pause is a single probe.",
			FixKo:   "이 업체코드를 쓰는 모든 프로그램을 멈추고 그때까지 기다리세요. 재개 후 첫 요청은 한 번의 확인 요청입니다.",
		}
	}
	var apiErr *coupang.APIError
	if !errors.As(err, &apiErr) {
		return diagnoseTransport(err, coupang.DefaultBaseURL, false)
	}
	msg := strings.ToLower(apiErr.Message)
	skewed := skewKnown && absDuration(skew) > maxClockSkew
	// Without a measured skew doctor cannot say the clock is fine.
	skewEn := " The clock could not be compared with Coupang's."
	skewKo := " 시계는 쿠팡 서버와 비교하지 못했습니다."
	clockNoteEn, clockNoteKo := skewEn, skewKo // for a cause that is not the clock
	if skewKnown {
		skewEn = fmt.Sprintf(" This machine's clock is %s Coupang's.", describeSkew(skew))
		skewKo = " " + describeSkewKo(skew)
		clockNoteEn, clockNoteKo = clockFine(skew)
	}
	// quoteTx asks support to quote the transactionId only when there is
	// one to quote, and shows it.
	quoteEn, quoteKo := "with the time of the failure and your vendor id", "실패 시각과 업체코드를 알려"
	if apiErr.TransactionID != "" {
		quoteEn = "quoting transactionId " + apiErr.TransactionID
		quoteKo = "transactionId " + apiErr.TransactionID + "를 알려"
	}
	switch {
	case errors.Is(err, coupang.ErrBlocked) || apiErr.StatusCode >= 300 && apiErr.StatusCode < 400:
		return finding{
			Problem: fmt.Sprintf("blocked (HTTP %d redirect)", apiErr.StatusCode),
			CauseEn: "Coupang redirects callers whose IP address or vendor id it has blocked, usually after many failed requests in a short time (an error storm) or repeated 404s from a wrong vendor id.",
			CauseKo: "짧은 시간에 실패한 요청이 많거나(에러 폭주) 잘못된 업체코드로 404가 반복되면 쿠팡이 IP 또는 업체코드를 차단하고 리다이렉트(302)로 응답합니다.",
			FixEn:   "Stop every program calling with these keys now: each call prolongs the block. Fix the cause of the failures, wait (minutes to hours), then run doctor once. If it persists, contact Coupang's Open API support " + quoteEn + ".",
			FixKo:   "이 키로 호출하는 모든 프로그램을 즉시 멈추세요. 호출할 때마다 차단이 길어집니다. 실패 원인을 고친 뒤 기다렸다가(수 분~수 시간) doctor를 한 번만 실행하세요. 계속되면 쿠팡 Open API 고객센터에 " + quoteKo + " 문의하세요.",
		}
	case apiErr.StatusCode == http.StatusUnauthorized && strings.Contains(msg, "expired"):
		return finding{
			Problem: "signature expired (HTTP 401)",
			CauseEn: "Coupang found the signed-date of the request too far from its own clock: this machine's clock is wrong." + skewEn,
			CauseKo: "요청 서명 시각(signed-date)이 쿠팡 서버 시각과 너무 차이 납니다. 이 컴퓨터의 시계가 틀렸습니다." + skewKo,
			FixEn:   "Synchronise the clock with NTP (Linux: timedatectl set-ntp true; macOS and Windows: set the date and time automatically), then run doctor again. The time zone does not matter; the clock does.",
			FixKo:   "NTP로 시계를 맞추세요 (Linux: timedatectl set-ntp true, macOS·Windows: 날짜와 시간 자동 설정). 시간대가 아니라 시각 자체가 맞아야 합니다. 그 후 doctor를 다시 실행하세요.",
		}
	case apiErr.StatusCode == http.StatusUnauthorized && strings.Contains(msg, "invalid signature") && skewed:
		return finding{
			Problem: "invalid signature (HTTP 401), clock skew",
			CauseEn: "The signature did not match, and this machine's clock is off by more than a minute: the request is signed with the wrong time." + skewEn,
			CauseKo: "서명이 일치하지 않으며 이 컴퓨터의 시계가 1분 이상 틀립니다. 잘못된 시각으로 서명되었습니다." + skewKo,
			FixEn:   "Synchronise the clock with NTP (Linux: timedatectl set-ntp true; macOS and Windows: set the date and time automatically), then run doctor again.",
			FixKo:   "NTP로 시계를 맞춘 뒤 (Linux: timedatectl set-ntp true, macOS·Windows: 날짜와 시간 자동 설정) doctor를 다시 실행하세요.",
		}
	case apiErr.StatusCode == http.StatusUnauthorized && strings.Contains(msg, "invalid signature"):
		return finding{
			Problem: "invalid signature (HTTP 401)",
			CauseEn: "The signature did not match: COUPANG_SECRET_KEY is not the secret key of COUPANG_ACCESS_KEY (a wrong, truncated or old key, or one pasted with extra characters)." + clockNoteEn,
			CauseKo: "서명이 일치하지 않습니다. COUPANG_SECRET_KEY가 COUPANG_ACCESS_KEY의 시크릿 키가 아닙니다 (틀리거나, 잘리거나, 예전 키이거나, 불필요한 문자가 붙음)." + clockNoteKo,
			FixEn:   "Copy the secret key again from WING (판매자정보 > 추가판매정보 > OPEN API 키 발급) into COUPANG_SECRET_KEY, whole and without quotes or spaces.",
			FixKo:   "WING(판매자정보 > 추가판매정보 > OPEN API 키 발급)에서 시크릿 키를 다시 복사해 따옴표나 공백 없이 COUPANG_SECRET_KEY에 넣으세요.",
		}
	case apiErr.StatusCode == http.StatusUnauthorized && strings.Contains(msg, "hmac format"):
		return finding{
			Problem: "HMAC format is invalid (HTTP 401)",
			CauseEn: "Coupang could not read the Authorization header: usually COUPANG_ACCESS_KEY is not an access key (a vendor id or secret key in its place, or extra characters).",
			CauseKo: "쿠팡이 Authorization 헤더를 해석하지 못했습니다. 대개 COUPANG_ACCESS_KEY에 액세스 키가 아닌 값(업체코드, 시크릿 키, 불필요한 문자)이 들어 있습니다.",
			FixEn:   "Put the access key from WING's Open API settings in COUPANG_ACCESS_KEY and the secret key in COUPANG_SECRET_KEY.",
			FixKo:   "WING Open API 설정의 액세스 키를 COUPANG_ACCESS_KEY에, 시크릿 키를 COUPANG_SECRET_KEY에 넣으세요.",
		}
	case apiErr.StatusCode == http.StatusUnauthorized:
		return finding{
			Problem: "not authorized (HTTP 401)",
			CauseEn: "Coupang does not accept these keys: they expired (keys are valid for 180 days), were revoked or reissued, or belong to another vendor.",
			CauseKo: "쿠팡이 이 키를 받아들이지 않습니다. 키가 만료되었거나(유효기간 180일), 폐기·재발급되었거나, 다른 업체의 키입니다.",
			FixEn:   "Check the keys' expiry date in WING (판매자정보 > 추가판매정보 > OPEN API 키 발급); renew them if expired and update COUPANG_ACCESS_KEY and COUPANG_SECRET_KEY everywhere they are used.",
			FixKo:   "WING(판매자정보 > 추가판매정보 > OPEN API 키 발급)에서 키 만료일을 확인하고, 만료되었으면 재발급한 뒤 사용하는 모든 곳의 COUPANG_ACCESS_KEY와 COUPANG_SECRET_KEY를 바꾸세요.",
		}
	case apiErr.StatusCode == http.StatusForbidden && strings.Contains(msg, "not allowed ip"):
		ip := ipPattern.FindString(apiErr.Message)
		whichEn := "this machine's public IP address (behind NAT or a proxy, the address Coupang sees; for instance from curl -s https://checkip.amazonaws.com)"
		whichKo := "이 컴퓨터의 공인 IP 주소 (NAT나 프록시 뒤라면 쿠팡이 보는 주소, 예: curl -s https://checkip.amazonaws.com)"
		if ip != "" {
			whichEn, whichKo = ip+", the address Coupang saw", ip+" (쿠팡이 본 주소)"
		}
		return finding{
			Problem: "Not allowed IP (HTTP 403)",
			CauseEn: "Coupang accepts calls only from the IP addresses registered for these keys, and this one is not registered.",
			CauseKo: "쿠팡은 이 키에 등록된 IP 주소에서 온 호출만 받습니다. 이 주소는 등록되어 있지 않습니다.",
			FixEn:   "Register " + whichEn + " in WING's Open API settings (up to 10 addresses). The change takes up to 30 minutes to apply; run doctor again after that, not before.",
			FixKo:   "WING Open API 설정에 " + whichKo + "를 등록하세요 (최대 10개). 반영까지 최대 30분 걸리니 그 후에 doctor를 다시 실행하세요.",
		}
	case apiErr.StatusCode == http.StatusForbidden && apiErr.Body != "":
		return finding{
			Problem: "Access Denied page (HTTP 403)",
			CauseEn: "Coupang's CDN answered with an HTML Access Denied page: a temporary block, usually after many failed requests in a short time.",
			CauseKo: "쿠팡 CDN이 HTML 'Access Denied' 페이지로 응답했습니다. 짧은 시간에 실패한 요청이 많을 때 생기는 일시 차단입니다.",
			FixEn:   "Stop calling with these keys and from this address now: calling on prolongs the block. Fix what made requests fail, wait (minutes to an hour), then run doctor once.",
			FixKo:   "이 키와 이 주소에서의 호출을 즉시 멈추세요. 계속 호출하면 차단이 길어집니다. 요청 실패 원인을 고치고 기다린 뒤(수 분~1시간) doctor를 한 번만 실행하세요.",
		}
	case apiErr.StatusCode == http.StatusForbidden:
		return finding{
			Problem: "forbidden (HTTP 403)",
			CauseEn: "Coupang refused the call: " + apiErr.Message + ". Often the keys are not allowed to use this API or this vendor id.",
			CauseKo: "쿠팡이 호출을 거부했습니다: " + apiErr.Message + ". 대개 키에 이 API나 이 업체코드 권한이 없습니다.",
			FixEn:   "Check in WING that the keys belong to COUPANG_VENDOR_ID and that the Open API integration is active.",
			FixKo:   "WING에서 키가 COUPANG_VENDOR_ID의 키인지, Open API 연동이 활성 상태인지 확인하세요.",
		}
	case apiErr.StatusCode == http.StatusTooManyRequests:
		waitEn, waitKo := "Wait a few minutes (Coupang can lock a vendor out for minutes to tens of minutes)", "몇 분 기다리세요 (수 분~수십 분 잠길 수 있습니다)"
		askedEn, askedKo := "", ""
		if apiErr.RetryAfter > 0 {
			secs := int64((apiErr.RetryAfter + time.Second - 1) / time.Second)
			askedEn = fmt.Sprintf(" Coupang asked to wait %d s (Retry-After).", secs)
			askedKo = fmt.Sprintf(" 쿠팡이 %d초 기다리라고 응답했습니다(Retry-After).", secs)
			waitEn = fmt.Sprintf("Wait at least %d s, as Coupang asked, with every caller of this vendor stopped", secs)
			waitKo = fmt.Sprintf("쿠팡이 요청한 대로 이 업체코드의 모든 호출을 멈추고 최소 %d초 기다리세요", secs)
		}
		return finding{
			Problem: "rate limited (HTTP 429)",
			CauseEn: "This vendor used up its request budget: 5 requests a second (10 before 2026-03), shared by every server, thread and tool using the vendor id." + askedEn,
			CauseKo: "이 업체의 호출 한도를 넘었습니다. 초당 5회(2026년 3월 전에는 10회)이며, 이 업체코드를 쓰는 모든 서버·스레드·도구가 함께 씁니다." + askedKo,
			FixEn:   waitEn + ", and pace every caller of this vendor to share the budget (the coupang command and NewClient pace by default; in code, share one limiter with WithLimiter).",
			FixKo:   waitKo + ". 이 업체코드를 쓰는 모든 호출이 한도를 나눠 쓰도록 속도를 제한하세요 (coupang 명령과 NewClient는 기본으로 제한합니다. 코드에서는 WithLimiter로 하나의 리미터를 공유하세요).",
		}
	case apiErr.StatusCode >= 500:
		return finding{
			Problem: fmt.Sprintf("Coupang's server failed (HTTP %d)", apiErr.StatusCode),
			CauseEn: "Coupang's gateway or service failed; this is not caused by the setup.",
			CauseKo: "쿠팡 게이트웨이나 서비스의 오류입니다. 설정 문제가 아닙니다.",
			FixEn:   "Run doctor again in a few minutes; if it persists, check Coupang's developer notices.",
			FixKo:   "몇 분 뒤 doctor를 다시 실행하세요. 계속되면 쿠팡 개발자 공지를 확인하세요.",
		}
	// After 429 and 5xx: the word "vendor" in a rate limit or a server
	// failure does not make the vendor id wrong.
	case apiErr.StatusCode == http.StatusNotFound || strings.Contains(msg, "vendor"):
		return finding{
			Problem: fmt.Sprintf("wrong vendor id (HTTP %d)", apiErr.StatusCode),
			CauseEn: "Coupang does not know this vendor for these keys: COUPANG_VENDOR_ID is not the vendor id (업체코드) the keys were issued for.",
			CauseKo: "쿠팡이 이 키로 이 업체를 찾지 못했습니다. COUPANG_VENDOR_ID가 키를 발급받은 업체코드가 아닙니다.",
			FixEn:   "Set COUPANG_VENDOR_ID to the vendor id shown in WING next to the keys (A followed by digits). Do not retry in a loop: repeated 404s from a wrong vendor id have got IP addresses and vendors blocked.",
			FixKo:   "COUPANG_VENDOR_ID를 WING에서 키 옆에 표시된 업체코드(A로 시작하는 번호)로 설정하세요. 반복 호출하지 마세요. 잘못된 업체코드로 404가 반복되면 IP와 업체가 차단된 사례가 있습니다.",
		}
	}
	return finding{
		Problem: fmt.Sprintf("HTTP %d", apiErr.StatusCode),
		CauseEn: "Coupang answered: " + apiErr.Message,
		CauseKo: "쿠팡의 응답: " + apiErr.Message,
		FixEn:   "Look up the message in Coupang's developer help centre; ask its support " + quoteEn + ".",
		FixKo:   "쿠팡 개발자 헬프센터에서 메시지를 찾아보고, 고객센터에 " + quoteKo + " 문의하세요.",
	}
}

// diagnoseTransport explains a failure to get any answer from baseURL,
// the client's gateway; baseSet says whether COUPANG_BASE_URL chose it, so
// that the fix names what the user set, not what they did not.
func diagnoseTransport(err error, baseURL string, baseSet bool) finding {
	host, where := gatewayAddress(baseURL)
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && baseSet:
		return finding{
			Problem: "host not found",
			CauseEn: "The host of COUPANG_BASE_URL (" + host + ") could not be resolved: a typo, or no DNS.",
			CauseKo: "COUPANG_BASE_URL의 호스트(" + host + ")를 찾지 못했습니다. 오타이거나 DNS 문제입니다.",
			FixEn:   "Correct COUPANG_BASE_URL, or unset it to call Coupang at " + coupang.DefaultBaseURL + ", and check the machine's DNS.",
			FixKo:   "COUPANG_BASE_URL을 고치거나 지워서 쿠팡(" + coupang.DefaultBaseURL + ")을 호출하고, DNS 설정을 확인하세요.",
		}
	case errors.As(err, &dnsErr):
		return finding{
			Problem: "host not found",
			CauseEn: "This machine could not resolve Coupang's gateway (" + host + "): no DNS, or no network.",
			CauseKo: "이 컴퓨터가 쿠팡 게이트웨이(" + host + ")의 이름을 찾지 못했습니다. DNS나 네트워크 문제입니다.",
			FixEn:   "Check this machine's network and DNS settings (nslookup " + host + " should print an address).",
			FixKo:   "이 컴퓨터의 네트워크와 DNS 설정을 확인하세요 (nslookup " + host + "이 주소를 보여야 합니다).",
		}
	case isCertificateError(err):
		return finding{
			Problem: "TLS certificate not trusted",
			CauseEn: "A server answered at " + where + ", but its certificate was not accepted: " + oneLine(certificateDetail(err)) + ". Usually a proxy or security software that inspects HTTPS presents its own certificate; or COUPANG_BASE_URL names a host whose certificate is for another name.",
			CauseKo: where + "의 서버가 응답했지만 인증서를 신뢰할 수 없습니다. 대개 HTTPS를 검사하는 프록시나 보안 프로그램이 자체 인증서를 내보내거나, COUPANG_BASE_URL의 호스트 이름이 인증서와 다릅니다.",
			FixEn:   "If your network inspects HTTPS, add its CA certificate to this machine's trust store (or name it in SSL_CERT_FILE); otherwise check COUPANG_BASE_URL. Do not turn certificate checks off: the requests carry your keys' signatures.",
			FixKo:   "네트워크가 HTTPS를 검사한다면 그 CA 인증서를 이 컴퓨터의 신뢰 저장소에 추가하거나 SSL_CERT_FILE로 지정하세요. 아니라면 COUPANG_BASE_URL을 확인하세요. 요청에 키 서명이 담기므로 인증서 검사를 끄지 마세요.",
		}
	case errors.Is(err, errTimeout), isTimeout(err):
		if connect.IsLoopback(baseURL) {
			return finding{
				Problem: "no answer in time",
				CauseEn: "The server at " + where + " (COUPANG_BASE_URL, on this machine) did not answer in time: a forwarder or tunnel that cannot reach Coupang, or a server that hangs.",
				CauseKo: where + "의 서버(COUPANG_BASE_URL, 이 컴퓨터)가 제시간에 응답하지 않았습니다. 쿠팡에 닿지 못하는 포워더·터널이거나 멈춘 서버입니다.",
				FixEn:   "Check that the server at " + where + " is running and that it reaches Coupang (for a tunnel: its other end); or unset COUPANG_BASE_URL to call Coupang directly.",
				FixKo:   where + "의 서버가 실행 중이고 쿠팡에 닿는지(터널이라면 반대편까지) 확인하거나, COUPANG_BASE_URL을 지워 쿠팡을 직접 호출하세요.",
			}
		}
		return finding{
			Problem: "no answer in time",
			CauseEn: "No answer came from " + where + " in time: a firewall dropping the connection, a proxy, or a slow network.",
			CauseKo: where + "에서 제시간에 응답이 오지 않았습니다. 방화벽, 프록시 또는 느린 네트워크 때문입니다.",
			FixEn:   "Check that this machine may open HTTPS connections to " + where + ", through the proxy if one is required (HTTPS_PROXY).",
			FixKo:   "이 컴퓨터에서 " + where + "로 HTTPS 연결이 가능한지, 필요하면 프록시(HTTPS_PROXY)를 거치는지 확인하세요.",
		}
	case errors.Is(err, syscall.ECONNREFUSED) && connect.IsLoopback(baseURL):
		return finding{
			Problem: "connection refused",
			CauseEn: "Nothing accepts connections at " + where + " (COUPANG_BASE_URL, on this machine): the coupang sandbox, or the forwarder or tunnel meant to be there, is not running.",
			CauseKo: where + "(COUPANG_BASE_URL, 이 컴퓨터)에서 연결을 받는 프로그램이 없습니다. coupang sandbox나 그곳에 있어야 할 포워더·터널이 실행 중이 아닙니다.",
			FixEn:   "Start it (coupang sandbox --addr " + where + " in another terminal, for the sandbox), or unset COUPANG_BASE_URL to call Coupang directly.",
			FixKo:   "그 프로그램을 실행하거나(샌드박스라면 다른 터미널에서 coupang sandbox --addr " + where + "), COUPANG_BASE_URL을 지워 쿠팡을 직접 호출하세요.",
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		return finding{
			Problem: "connection refused",
			CauseEn: "Nothing accepts connections at " + where + ": a wrong address or port, or a firewall that refuses the connection.",
			CauseKo: where + "에서 연결을 받지 않습니다. 주소나 포트가 틀렸거나 방화벽이 연결을 거부합니다.",
			FixEn:   "Check the network, the firewall and COUPANG_BASE_URL, then run doctor again.",
			FixKo:   "네트워크, 방화벽, COUPANG_BASE_URL을 확인한 뒤 doctor를 다시 실행하세요.",
		}
	}
	// The detail line carries the error as it came: the causes do not
	// repeat it, and the Korean one is not half English.
	return finding{
		Problem: "no answer",
		CauseEn: "The request did not reach " + where + " (the line above gives the error).",
		CauseKo: "요청이 " + where + "에 닿지 않았습니다 (오류는 위 줄에 있습니다).",
		FixEn:   "Check the network, the firewall and COUPANG_BASE_URL, then run doctor again.",
		FixKo:   "네트워크, 방화벽, COUPANG_BASE_URL을 확인한 뒤 doctor를 다시 실행하세요.",
	}
}

// gatewayAddress returns the host of baseURL and its host:port, the port
// made explicit ("api-gateway.coupang.com:443").
func gatewayAddress(baseURL string) (host, hostPort string) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return baseURL, baseURL
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return u.Hostname(), net.JoinHostPort(u.Hostname(), port)
}

// isCertificateError reports a TLS handshake that failed on the server's
// certificate: reached, but not trusted.
func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// certificateDetail is what was wrong with the certificate.
func certificateDetail(err error) string {
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) && verify.Err != nil {
		return verify.Err.Error()
	}
	return err.Error()
}

// errTimeout marks doctor's own deadline.
var errTimeout = errors.New("timed out")

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// describeSkew says "3m0s ahead of" or "45s behind".
func describeSkew(skew time.Duration) string {
	switch {
	case skew > 0:
		return skew.String() + " ahead of"
	case skew < 0:
		return (-skew).String() + " behind"
	}
	return "in step with"
}

// clockFine says, in a sentence for a cause that is not the clock, that
// the measured skew is within the allowed minute.
func clockFine(skew time.Duration) (en, ko string) {
	switch {
	case skew > 0:
		return fmt.Sprintf(" The clock is not the cause: %s ahead of Coupang's is within the minute allowed.", skew),
			fmt.Sprintf(" 시계는 원인이 아닙니다. 쿠팡 서버보다 %s 빠르지만 1분 이내입니다.", skew)
	case skew < 0:
		return fmt.Sprintf(" The clock is not the cause: %s behind Coupang's is within the minute allowed.", -skew),
			fmt.Sprintf(" 시계는 원인이 아닙니다. 쿠팡 서버보다 %s 느리지만 1분 이내입니다.", -skew)
	}
	return " The clock is not the cause: it is in step with Coupang's.", " 시계는 원인이 아닙니다. 쿠팡 서버와 시각이 맞습니다."
}

// describeSkewKo says the whole sentence in Korean, since the comparison
// ("보다 … 빠릅니다") and being in step ("와 … 맞습니다") take different
// particles.
func describeSkewKo(skew time.Duration) string {
	switch {
	case skew > 0:
		return "이 컴퓨터의 시계는 쿠팡 서버보다 " + skew.String() + " 빠릅니다."
	case skew < 0:
		return "이 컴퓨터의 시계는 쿠팡 서버보다 " + (-skew).String() + " 느립니다."
	}
	return "이 컴퓨터의 시계는 쿠팡 서버와 시각이 맞습니다."
}
