package coupang

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// SignedDateLayout is the Go layout of the signed-date in Coupang's
// Authorization header: UTC time as yyMMdd'T'HHmmss'Z'.
const SignedDateLayout = "060102T150405Z"

// Sign computes Coupang's CEA HMAC-SHA256 signature for one request and
// returns the signed-date it used with the lower-case hex signature.
//
// The signed message is signed-date + method + path + rawQuery with no
// separators: no "?", no host, no body. rawQuery must be exactly the string
// that goes on the wire after "?" (same order, same percent-encoding): Coupang's
// gateway signs what it receives, and a character encoded differently in the
// message than on the wire gives "Invalid signature.". path is the escaped
// path as sent (url.URL.EscapedPath).
//
// Sign is a pure function of its arguments, so it can sign Coupang endpoints
// this package does not wrap. Sign again on every attempt: Coupang rejects a
// signed-date that is too old.
func Sign(secretKey, method, path, rawQuery string, t time.Time) (signedDate, signature string) {
	var out [len(SignedDateLayout) + 2*sha256.Size]byte
	date := t.UTC().AppendFormat(out[:0], SignedDateLayout)
	n := len(date)
	sum := hmacSHA256(secretKey, string(date), method, path, rawQuery)
	hex.Encode(out[n:], sum[:])
	s := string(out[:]) // one allocation for both results
	return s[:n], s[n:]
}

// hmacSHA256 returns HMAC-SHA256 (RFC 2104) under key of the concatenation
// of parts, the same bytes as crypto/hmac with sha256.New gives. It hashes
// twice with sha256.Sum256 over a buffer on the stack: crypto/hmac allocates
// two hash states, two pads and the key on every call, which cost more than
// the hashing itself when every request is signed afresh.
func hmacSHA256(key string, parts ...string) [sha256.Size]byte {
	var k [sha256.BlockSize]byte
	if len(key) > sha256.BlockSize {
		sum := sha256.Sum256([]byte(key))
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var buf [512]byte // longer messages spill to the heap, still correct
	msg := buf[:0]
	for _, c := range k {
		msg = append(msg, c^0x36)
	}
	for _, p := range parts {
		msg = append(msg, p...)
	}
	inner := sha256.Sum256(msg)
	msg = buf[:0]
	for _, c := range k {
		msg = append(msg, c^0x5c)
	}
	msg = append(msg, inner[:]...)
	return sha256.Sum256(msg)
}

// Authorization returns the value of the Authorization header for one request:
//
//	CEA algorithm=HmacSHA256, access-key={accessKey}, signed-date={date}, signature={signature}
//
// See Sign for what is signed.
func Authorization(accessKey, secretKey, method, path, rawQuery string, t time.Time) string {
	date, sig := Sign(secretKey, method, path, rawQuery, t)
	return "CEA algorithm=HmacSHA256, access-key=" + accessKey + ", signed-date=" + date + ", signature=" + sig
}

// SignRequest sets the Authorization header of req, signing req's method,
// escaped path and raw query as they will be sent. Use it to call Coupang
// endpoints this package does not wrap with your own *http.Request.
func SignRequest(req *http.Request, accessKey, secretKey string, t time.Time) {
	req.Header.Set("Authorization", Authorization(accessKey, secretKey, req.Method, req.URL.EscapedPath(), req.URL.RawQuery, t))
}
