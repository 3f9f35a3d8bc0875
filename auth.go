package coupang

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// SignedDateLayout is the Go layout of the signed-date in Coupang's
// Authorization header: UTC time as yyMMdd'T'HHmmss'Z'.
const SignedDateLayout = "060102T150405Z"

// sign computes Coupang's CEA HMAC-SHA256 signature for one request and
// returns the signed-date it used with the lower-case hex signature (see
// AuthorizationHeader for what is signed).
func sign(secretKey, method, path, rawQuery string, t time.Time) (signedDate, signature string) {
	signedDate = t.UTC().Format(SignedDateLayout)
	// crypto/hmac rather than a hand-rolled HMAC: at Coupang's five requests
	// a second the microsecond a leaner version saves helps nobody, and the
	// standard one is reviewed, FIPS-aware and needs no re-verification.
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(signedDate))
	mac.Write([]byte(method))
	mac.Write([]byte(path))
	mac.Write([]byte(rawQuery))
	return signedDate, hex.EncodeToString(mac.Sum(nil))
}

// AuthorizationHeader returns the value of the Authorization header for one
// request, for a request that is not an *http.Request (else use
// SignRequest):
//
//	CEA algorithm=HmacSHA256, access-key={accessKey}, signed-date={date}, signature={signature}
//
// The signed message is signed-date + method + path + rawQuery with no
// separators: no "?", no host, no body. rawQuery must be exactly the string
// that goes on the wire after "?" (same order, same percent-encoding):
// Coupang's gateway signs what it receives, and a character encoded
// differently in the message than on the wire gives "Invalid signature.".
// path is the escaped path as sent (url.URL.EscapedPath). The signed-date is
// t in UTC as SignedDateLayout.
//
// It is a pure function of its arguments, so it can sign Coupang endpoints
// this package does not wrap. Sign again on every attempt: Coupang rejects a
// signed-date that is too old.
func AuthorizationHeader(accessKey, secretKey, method, path, rawQuery string, t time.Time) string {
	date, sig := sign(secretKey, method, path, rawQuery, t)
	return "CEA algorithm=HmacSHA256, access-key=" + accessKey + ", signed-date=" + date + ", signature=" + sig
}

// SignRequest sets the Authorization header of req, signing req's method,
// escaped path and raw query as they will be sent. Use it to call Coupang
// endpoints this package does not wrap with your own *http.Request.
func SignRequest(req *http.Request, accessKey, secretKey string, t time.Time) {
	req.Header.Set("Authorization", AuthorizationHeader(accessKey, secretKey, req.Method, req.URL.EscapedPath(), req.URL.RawQuery, t))
}
