package coupangtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/courier"
)

// apiPrefix is the path of every exchange endpoint up to the vendor id.
const apiPrefix = "/v2/providers/openapi/apis/api/v4/vendors/"

// wireLayout is the only form the list call accepts for its time bounds.
const wireLayout = "2006-01-02T15:04:05"

// maxBody bounds a request body.
const maxBody = 1 << 20

// Business-failure and success messages, as Coupang writes them.
const (
	msgSuccess = "요청 처리완료"
)

// answer is a response computed under the lock and written after it.
type answer struct {
	status      int
	contentType string
	body        []byte
}

func jsonAnswer(status int, v any) answer {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"code":500,"message":"coupangtest: encoding the answer failed"}`)
		status = http.StatusInternalServerError
	}
	return answer{status: status, contentType: "application/json;charset=UTF-8", body: b}
}

// gatewayError is the 401 shape of Coupang's API gateway.
func gatewayError(message string) answer {
	return jsonAnswer(http.StatusUnauthorized, map[string]string{
		"code":          "ERROR",
		"message":       message,
		"transactionId": transactionID(),
	})
}

// serviceError is the shape of the exchange service's errors: a numeric code.
func serviceError(status int, format string, args ...any) answer {
	return jsonAnswer(status, map[string]any{
		"code":          status,
		"message":       fmt.Sprintf(format, args...),
		"transactionId": transactionID(),
	})
}

// writeResult is the answer to reject and invoices: HTTP 200 with a
// resultCode that may be FAIL.
func writeResult(ok bool, message string) answer {
	code := "SUCCESS"
	if !ok {
		code = "FAIL"
	}
	return jsonAnswer(http.StatusOK, map[string]any{
		"code":    "200",
		"message": "SUCCESS",
		"data":    map[string]string{"resultCode": code, "resultMessage": message},
	})
}

func transactionID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], rand.Uint64())
	binary.BigEndian.PutUint64(b[8:], rand.Uint64())
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// injectedFailure is what FailNext answers with.
func injectedFailure(status int) answer {
	switch status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		text := strconv.Itoa(status) + " " + http.StatusText(status)
		page := "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
			"</h1></center>\r\n<hr><center>coupangtest</center>\r\n</body>\r\n</html>\r\n"
		return answer{status: status, contentType: "text/html", body: []byte(page)}
	case http.StatusForbidden:
		page := "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n" +
			"You don't have permission to access this server.<P>\nReference&#32;#18.coupangtest\n</BODY>\n</HTML>\n"
		return answer{status: status, contentType: "text/html", body: []byte(page)}
	case http.StatusTooManyRequests:
		return jsonAnswer(status, map[string]any{
			"code":          429,
			"message":       "Too Many Requests: the vendor exceeded its request quota.",
			"transactionId": transactionID(),
		})
	}
	text := http.StatusText(status)
	if text == "" {
		text = "injected failure"
	}
	return serviceError(status, "%s", text)
}

// ServeHTTP answers one request as Coupang's gateway and exchange service
// would. A Server is an http.Handler so that it can also be mounted in a
// test's own server or called with httptest.NewRecorder.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))

	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			s.mu.Lock()
			s.recordCall(r, body, 499)
			s.mu.Unlock()
			return
		}
	}

	s.mu.Lock()
	var ans answer
	var fail *failure
	drop := false
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		fail = &f
	}
	switch {
	case fail != nil && !fail.afterApply:
		ans = injectedFailure(fail.status)
	case readErr != nil:
		ans = serviceError(http.StatusBadRequest, "could not read the request body")
	case len(body) > maxBody:
		ans = serviceError(http.StatusRequestEntityTooLarge, "request body too large")
	default:
		ans = s.handle(r, body)
		switch {
		case fail != nil && fail.drop:
			ans, drop = answer{}, true // recorded with status 0: no answer
		case fail != nil:
			ans = injectedFailure(fail.status)
		}
	}
	s.recordCall(r, body, ans.status)
	s.mu.Unlock()

	if drop {
		dropConnection(w)
		return
	}
	w.Header().Set("Content-Type", ans.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(ans.body)))
	w.WriteHeader(ans.status)
	_, _ = w.Write(ans.body)
}

// dropConnection closes the connection of w without an answer. Where it
// cannot be taken over (HTTP/2), it sends a status line and a Content-Length
// that is never met, so that the client is left without a whole answer all
// the same.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
		return
	}
	w.Header().Set("Content-Length", "1")
	w.WriteHeader(http.StatusOK)
}

// recordCall notes a request, keeping its body only when it is
// authenticated and dropping the oldest kept body beyond MaxRecordedBodies.
// Called with s.mu held.
func (s *Server) recordCall(r *http.Request, body []byte, status int) {
	c := Call{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Status: status}
	if _, ok := s.authenticate(r); ok && len(body) > 0 {
		c.Body = string(body)
		s.bodied = append(s.bodied, len(s.calls))
		if len(s.bodied) > MaxRecordedBodies {
			s.calls[s.bodied[0]].Body = ""
			s.bodied = s.bodied[1:]
		}
	}
	s.calls = append(s.calls, c)
}

// handle authenticates and routes one request. Called with s.mu held.
func (s *Server) handle(r *http.Request, body []byte) answer {
	if ans, ok := s.authenticate(r); !ok {
		return ans
	}
	if ans, ok := s.routeReturns(r, body); ok {
		return ans
	}
	if ans, ok := s.handleOrders(r, body); ok {
		return ans
	}
	rest, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !ok {
		return serviceError(http.StatusNotFound, "No API found for %s %s", r.Method, r.URL.Path)
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || parts[1] != "exchangeRequests" || (len(parts) != 2 && len(parts) != 4) {
		return serviceError(http.StatusNotFound, "No API found for %s %s", r.Method, r.URL.Path)
	}
	if parts[0] != s.VendorID {
		return serviceError(http.StatusNotFound, "vendorId (%s) not found for this access key", parts[0])
	}
	if len(parts) == 2 {
		if r.Method != http.MethodGet {
			return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
		}
		return s.list(r)
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id <= 0 {
		return serviceError(http.StatusBadRequest, "exchangeId (%s) must be a positive number", parts[2])
	}
	switch parts[3] {
	case "receiveConfirmation":
		if r.Method != http.MethodPut && r.Method != http.MethodPatch {
			return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
		}
		return s.confirmReceipt(id, body)
	case "rejection":
		if r.Method != http.MethodPut && r.Method != http.MethodPatch {
			return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
		}
		return s.reject(id, body)
	case "invoices":
		if r.Method != http.MethodPost {
			return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
		}
		return s.uploadInvoices(id, body)
	}
	return serviceError(http.StatusNotFound, "No API found for %s %s", r.Method, r.URL.Path)
}

// authenticate checks the CEA HMAC Authorization header as Coupang's gateway
// does: format, access key, signed-date within MaxSignatureSkew of the
// server's clock, then the signature over signed-date + method + path + query.
func (s *Server) authenticate(r *http.Request) (answer, bool) {
	fields, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return gatewayError("HMAC format is invalid."), false
	}
	if !hmac.Equal([]byte(fields["access-key"]), []byte(s.AccessKey)) {
		return gatewayError("Request is not authorized."), false
	}
	signed, err := time.Parse(coupang.SignedDateLayout, fields["signed-date"])
	if err != nil {
		return gatewayError("HMAC format is invalid."), false
	}
	if skew := s.now().Sub(signed); skew > MaxSignatureSkew || skew < -MaxSignatureSkew {
		return gatewayError("Specified signature is expired."), false
	}
	mac := hmac.New(sha256.New, []byte(s.SecretKey))
	mac.Write([]byte(fields["signed-date"] + r.Method + r.URL.EscapedPath() + r.URL.RawQuery))
	// Coupang signs in lower-case hex; an upper-case signature does not match.
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(fields["signature"]), []byte(want)) {
		return gatewayError("Invalid signature."), false
	}
	return answer{}, true
}

// parseAuthorization splits "CEA algorithm=HmacSHA256, access-key=…,
// signed-date=…, signature=…" into its fields, and reports false for any
// other shape.
func parseAuthorization(h string) (map[string]string, bool) {
	rest, ok := strings.CutPrefix(h, "CEA ")
	if !ok {
		return nil, false
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || v == "" {
			return nil, false
		}
		if _, dup := fields[k]; dup {
			return nil, false
		}
		fields[k] = v
	}
	if len(fields) != 4 || fields["algorithm"] != "HmacSHA256" {
		return nil, false
	}
	for _, k := range []string{"access-key", "signed-date", "signature"} {
		if fields[k] == "" {
			return nil, false
		}
	}
	if len(fields["signature"]) != 2*sha256.Size {
		return nil, false
	}
	if _, err := hex.DecodeString(fields["signature"]); err != nil {
		return nil, false
	}
	return fields, true
}

// listQuery is a validated list request.
type listQuery struct {
	from, to   time.Time
	status     coupang.ExchangeStatus
	orderID    int64
	maxPerPage int
	// after is the key of the last record of the previous page.
	afterAt time.Time
	afterID int64
	hasNext bool
}

// list answers GET …/exchangeRequests.
func (s *Server) list(r *http.Request) answer {
	q, ans, ok := s.parseListQuery(r)
	if !ok {
		return ans
	}
	s.applyAllDue()
	var page []*record
	more := false
	for _, rec := range s.listCandidates(q) {
		ex := &rec.ex
		if ex.CreatedAt.After(q.to) {
			break
		}
		if !s.visible(rec) {
			continue
		}
		if q.status != "" && ex.Status != q.status {
			continue
		}
		if q.orderID != 0 && ex.OrderID != q.orderID {
			continue
		}
		if len(page) == q.maxPerPage {
			more = true
			break
		}
		page = append(page, rec)
	}
	for _, rec := range page {
		s.settleBox(rec)
	}
	data := make([]json.RawMessage, 0, len(page))
	for _, rec := range page {
		b, err := encodeExchange(s.listed(rec), s.cfg.quirks)
		if err != nil {
			return serviceError(http.StatusInternalServerError, "coupangtest: encoding exchange %d: %v", rec.ex.ExchangeID, err)
		}
		data = append(data, b)
	}
	var next any = ""
	if more {
		last := page[len(page)-1].ex
		next = s.token(q, last.CreatedAt, last.ExchangeID)
	}
	env := map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next}
	s.lists++
	if s.cfg.quirks && s.lists%2 == 0 {
		// Coupang is not consistent about its own envelope.
		env["code"], env["message"] = "200", "SUCCESS"
		if !more {
			env["nextToken"] = nil
		}
	}
	return jsonAnswer(http.StatusOK, env)
}

func (s *Server) parseListQuery(r *http.Request) (listQuery, answer, bool) {
	var q listQuery
	vals := r.URL.Query()
	parseBound := func(name string) (time.Time, answer, bool) {
		v := vals.Get(name)
		if v == "" {
			return time.Time{}, serviceError(http.StatusBadRequest, "%s is required.", name), false
		}
		t, err := time.ParseInLocation(wireLayout, v, coupang.KoreaLocation())
		if err != nil || t.Format(wireLayout) != v {
			return time.Time{}, serviceError(http.StatusBadRequest, "%s (%s) must be in yyyy-MM-ddTHH:mm:ss format.", name, v), false
		}
		return t, answer{}, true
	}
	var ans answer
	var ok bool
	if q.from, ans, ok = parseBound("createdAtFrom"); !ok {
		return q, ans, false
	}
	if q.to, ans, ok = parseBound("createdAtTo"); !ok {
		return q, ans, false
	}
	if q.to.Before(q.from) {
		return q, serviceError(http.StatusBadRequest, "createdAtTo must not be before createdAtFrom."), false
	}
	if q.to.Sub(q.from) > coupang.MaxListWindow {
		return q, serviceError(http.StatusBadRequest, "Only up to 7 days can be queried: createdAtFrom and createdAtTo are %v apart.", q.to.Sub(q.from)), false
	}
	if v := vals.Get("status"); v != "" {
		st := coupang.ExchangeStatus(v)
		switch st {
		case coupang.ExchangeStatusReceipt, coupang.ExchangeStatusProgress, coupang.ExchangeStatusSuccess,
			coupang.ExchangeStatusReject, coupang.ExchangeStatusCancel:
			q.status = st
		default:
			return q, serviceError(http.StatusBadRequest, "status (%s) is invalid: use RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL.", v), false
		}
	}
	if v := vals.Get("orderId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return q, serviceError(http.StatusBadRequest, "orderId (%s) must be a positive number.", v), false
		}
		q.orderID = n
	}
	q.maxPerPage = 10 // Coupang's default
	if v := vals.Get("maxPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return q, serviceError(http.StatusBadRequest, "maxPerPage (%s) must be between 1 and 50.", v), false
		}
		q.maxPerPage = n
	}
	if v := vals.Get("nextToken"); v != "" {
		at, id, ok := s.parseToken(q, v)
		if !ok {
			return q, serviceError(http.StatusBadRequest, "nextToken is invalid for this query."), false
		}
		q.afterAt, q.afterID, q.hasNext = at, id, true
	}
	return q, answer{}, true
}

// token encodes the position after (at, id) for query q: the key of the last
// record served, and a MAC binding it to the query's filters so that a token
// cannot be tampered with or reused for another query.
func (s *Server) token(q listQuery, at time.Time, id int64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.Unix()))
	binary.BigEndian.PutUint64(b[8:], uint64(id))
	return base64.RawURLEncoding.EncodeToString(append(b[:], s.tokenMAC(q, b[:])...))
}

func (s *Server) parseToken(q listQuery, tok string) (time.Time, int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 16+12 {
		return time.Time{}, 0, false
	}
	if !hmac.Equal(raw[16:], s.tokenMAC(q, raw[:16])) {
		return time.Time{}, 0, false
	}
	at := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0).In(coupang.KoreaLocation())
	return at, int64(binary.BigEndian.Uint64(raw[8:16])), true
}

func (s *Server) tokenMAC(q listQuery, key []byte) []byte {
	mac := hmac.New(sha256.New, s.tokenKey)
	fmt.Fprintf(mac, "%d|%d|%s|%d|", q.from.Unix(), q.to.Unix(), q.status, q.orderID)
	mac.Write(key)
	return mac.Sum(nil)[:12]
}

// actionBody is the body of confirm and reject.
type actionBody struct {
	ExchangeID json.RawMessage `json:"exchangeId"`
	VendorID   *string         `json:"vendorId"`
	RejectCode *string         `json:"exchangeRejectCode"`
}

// decodeStrict decodes a JSON body into v and reports whether it was
// well-formed with nothing after it.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// checkIDs validates the exchangeId and vendorId of a write body against the
// path.
func (s *Server) checkIDs(pathID int64, rawID json.RawMessage, vendorID *string) (answer, bool) {
	if len(rawID) == 0 || string(rawID) == "null" {
		return serviceError(http.StatusBadRequest, "exchangeId is required."), false
	}
	if rawID[0] == '"' {
		return serviceError(http.StatusBadRequest, "exchangeId must be a number, not a string: %s", rawID), false
	}
	n, err := strconv.ParseInt(string(rawID), 10, 64)
	if err != nil {
		return serviceError(http.StatusBadRequest, "exchangeId (%s) must be a number.", rawID), false
	}
	if n != pathID {
		return serviceError(http.StatusBadRequest, "exchangeId (%d) in the body does not match the path (%d).", n, pathID), false
	}
	if vendorID == nil || *vendorID == "" {
		return serviceError(http.StatusBadRequest, "vendorId is required."), false
	}
	if *vendorID != s.VendorID {
		return serviceError(http.StatusBadRequest, "vendorId (%s) in the body does not match the path (%s).", *vendorID, s.VendorID), false
	}
	return answer{}, true
}

// actionTarget decodes the body of a confirm or reject and finds the
// exchange it acts on; ok is false with the answer to give otherwise.
func (s *Server) actionTarget(id int64, body []byte) (in actionBody, rec *record, ans answer, ok bool) {
	if err := decodeStrict(body, &in); err != nil {
		return in, nil, serviceError(http.StatusBadRequest, "Malformed JSON request body: %v", err), false
	}
	if ans, ok := s.checkIDs(id, in.ExchangeID, in.VendorID); !ok {
		return in, nil, ans, false
	}
	rec, found := s.exchanges[id]
	if !found || !s.visible(rec) {
		return in, nil, serviceError(http.StatusNotFound, "exchangeId (%d) not found.", id), false
	}
	s.settle(rec)
	return in, rec, answer{}, true
}

// confirmReceipt answers PUT/PATCH …/{id}/receiveConfirmation.
func (s *Server) confirmReceipt(id int64, body []byte) answer {
	_, rec, ans, ok := s.actionTarget(id, body)
	if !ok {
		return ans
	}
	ex := &rec.ex
	if ex.Status != coupang.ExchangeStatusReceipt {
		return writeResult(false, fmt.Sprintf("입고 확인 처리가 불가능한 상태입니다. (exchangeStatus: %s)", ex.Status))
	}
	now := s.now()
	ex.Status, ex.StatusLabel = coupang.ExchangeStatusProgress, ""
	ex.CollectStatus = coupang.CollectStatusCompleteCollect
	ex.CollectCompleteDate = wireTime(now)
	ex.ModifiedAt = wireTime(now)
	ex.ModifiedByType, ex.ModifiedByTypeLabel = coupang.ActorTypeVendor, ""
	ex.Rejectable = false
	markItemsReceived(ex, now)
	rec.pendingBox = s.newBox(id)
	rec.boxAt = now.Add(s.cfg.boxDelay)
	s.settle(rec)
	s.reindex(rec)
	s.applied = append(s.applied, Action{Kind: ActionConfirmReceipt, ExchangeID: id, At: now})
	return jsonAnswer(http.StatusOK, map[string]string{"code": "200", "message": "SUCCESS"})
}

// reject answers PUT/PATCH …/{id}/rejection.
func (s *Server) reject(id int64, body []byte) answer {
	in, rec, ans, ok := s.actionTarget(id, body)
	if !ok {
		return ans
	}
	code := ""
	if in.RejectCode != nil {
		code = *in.RejectCode
	}
	rc := coupang.RejectCode(code)
	if rc != coupang.RejectSoldOut && rc != coupang.RejectWithdraw {
		return writeResult(false, fmt.Sprintf("교환 거부 사유 코드가 올바르지 않습니다. (exchangeRejectCode: %q, SOLDOUT 또는 WITHDRAW만 가능)", code))
	}
	ex := &rec.ex
	if !ex.Rejectable || ex.Status != coupang.ExchangeStatusReceipt {
		return writeResult(false, fmt.Sprintf("교환 거부 처리가 불가능한 상태입니다. (exchangeStatus: %s, rejectable: %t)", ex.Status, ex.Rejectable))
	}
	now := s.now()
	ex.Status, ex.StatusLabel = coupang.ExchangeStatusReject, ""
	ex.ModifiedAt = wireTime(now)
	ex.ModifiedByType, ex.ModifiedByTypeLabel = coupang.ActorTypeVendor, ""
	ex.Rejectable, ex.Successable, ex.DeliveryInvoiceModifiable = false, false, false
	ex.DeliveryStatus = coupang.DeliveryStatusWithdraw
	s.reindex(rec)
	s.applied = append(s.applied, Action{Kind: ActionReject, ExchangeID: id, RejectCode: rc, At: now})
	return writeResult(true, msgSuccess)
}

// invoiceBody is one element of the invoices body.
type invoiceBody struct {
	ExchangeID        json.RawMessage `json:"exchangeId"`
	VendorID          *string         `json:"vendorId"`
	ShipmentBoxID     json.RawMessage `json:"shipmentBoxId"`
	GoodsDeliveryCode string          `json:"goodsDeliveryCode"`
	InvoiceNumber     string          `json:"invoiceNumber"`
}

// uploadInvoices answers POST …/{id}/invoices. The body is a JSON array;
// every element must be valid for any to be applied.
func (s *Server) uploadInvoices(id int64, body []byte) answer {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return serviceError(http.StatusBadRequest, "Malformed JSON request body: the body must be a JSON array of invoices.")
	}
	var in []invoiceBody
	if err := decodeStrict(body, &in); err != nil {
		return serviceError(http.StatusBadRequest, "Malformed JSON request body: %v", err)
	}
	if len(in) == 0 {
		return serviceError(http.StatusBadRequest, "At least one invoice is required.")
	}
	rec, ok := s.exchanges[id]
	if !ok || !s.visible(rec) {
		return serviceError(http.StatusNotFound, "exchangeId (%d) not found.", id)
	}
	s.settle(rec)
	ex := &rec.ex
	invoices := make([]coupang.ExchangeInvoice, len(in))
	for i, inv := range in {
		if ans, ok := s.checkIDs(id, inv.ExchangeID, inv.VendorID); !ok {
			return ans
		}
		box, err := strconv.ParseInt(string(inv.ShipmentBoxID), 10, 64)
		if err != nil || box <= 0 {
			return serviceError(http.StatusBadRequest, "shipmentBoxId (%s) must be a positive number.", inv.ShipmentBoxID)
		}
		if ans, ok := s.checkInvoice(ex, box, inv); !ok {
			return ans
		}
		invoices[i] = coupang.ExchangeInvoice{ShipmentBoxID: box, GoodsDeliveryCode: inv.GoodsDeliveryCode, InvoiceNumber: inv.InvoiceNumber}
	}
	now := s.now()
	for _, inv := range invoices {
		for gi := range ex.DeliveryInvoiceGroups {
			g := &ex.DeliveryInvoiceGroups[gi]
			if int64(g.ShipmentBoxID) != inv.ShipmentBoxID {
				continue
			}
			g.Invoices = []coupang.DeliveryInvoice{
				newInvoice(ex, inv.GoodsDeliveryCode, inv.InvoiceNumber, now, coupang.OrderDeliveryStatusDeparture),
			}
		}
		s.applied = append(s.applied, Action{Kind: ActionUploadInvoice, ExchangeID: id, Invoice: inv, At: now})
	}
	ex.DeliveryStatus = coupang.DeliveryStatusCompleteDirection
	ex.Successable = true
	ex.ModifiedAt = wireTime(now)
	ex.ModifiedByType, ex.ModifiedByTypeLabel = coupang.ActorTypeVendor, ""
	return writeResult(true, msgSuccess)
}

// checkInvoice applies Coupang's business rules to one waybill: the exchange
// must be in progress with its item collected, and the box must be the NEW
// one created by the confirmation.
func (s *Server) checkInvoice(ex *coupang.ExchangeRequest, box int64, inv invoiceBody) (answer, bool) {
	for _, it := range ex.Items {
		if int64(it.OriginalShipmentBoxID) == box {
			return writeResult(false, fmt.Sprintf("shipmentBoxId (%d)'s status [NONE_TRACKING] is not suitable for applyInvoice", box)), false
		}
	}
	if ex.Status != coupang.ExchangeStatusProgress || ex.CollectStatus != coupang.CollectStatusCompleteCollect || !ex.DeliveryInvoiceModifiable {
		return writeResult(false, fmt.Sprintf("교환 송장 등록이 불가능한 상태입니다. (exchangeStatus: %s, collectStatus: %s)", ex.Status, ex.CollectStatus)), false
	}
	found := false
	for _, g := range ex.DeliveryInvoiceGroups {
		found = found || int64(g.ShipmentBoxID) == box
	}
	if !found {
		return writeResult(false, fmt.Sprintf("shipmentBoxId (%d) is not a shipment box of exchangeId (%d)", box, ex.ExchangeID)), false
	}
	// Coupang adds couriers without notice and the client sends any
	// well-formed code, so the sandbox accepts one it does not know (a test
	// with a new courier must not fail only here). The table still refuses
	// the retired codes and checks waybill lengths of the couriers it knows.
	if !courier.WellFormed(inv.GoodsDeliveryCode) {
		return writeResult(false, fmt.Sprintf("goodsDeliveryCode (%s) is not a supported courier", inv.GoodsDeliveryCode)), false
	}
	c, known := coupang.LookupCourier(inv.GoodsDeliveryCode)
	known = known && c.Code == inv.GoodsDeliveryCode
	if known && c.Retired {
		return writeResult(false, fmt.Sprintf("goodsDeliveryCode (%s) is not a supported courier", inv.GoodsDeliveryCode)), false
	}
	if inv.InvoiceNumber == "" || (known && !c.AcceptsInvoiceNumber(inv.InvoiceNumber)) {
		return writeResult(false, fmt.Sprintf("invoiceNumber (%s) is not valid for goodsDeliveryCode (%s)", inv.InvoiceNumber, inv.GoodsDeliveryCode)), false
	}
	return answer{}, true
}
