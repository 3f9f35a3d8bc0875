package coupang_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// This file checks redaction by construction: every field tagged
// `coupang:"personal"`, in every model type reachable from modelRoots, is
// filled with piiMarker, and no printed, logged or error form of the models
// may contain it, alone or inside slices, maps, pointers and structs.

// piiMarker stands for a name, an address or a customer's words. ASCII, so
// that JSON and %q leave it as is; its hex forms are checked too (%x).
const piiMarker = "PIIMARKERq7z"

// personalTag is the struct tag that marks a field as personal data.
const personalTag = "personal"

// modelRoots are the types the walk starts from: everything the client hands
// out or takes that may hold Coupang's records. Nested types are found by
// reflection; TestEveryModelTypeIsWalked fails when a new exported struct
// type is neither reached from here nor listed in notModels.
var modelRoots = []reflect.Type{
	reflect.TypeFor[coupang.ExchangeRequest](),
	reflect.TypeFor[coupang.ExchangeChange](),
	reflect.TypeFor[coupang.ExchangePage](),
	reflect.TypeFor[coupang.ExchangeInvoice](),
	reflect.TypeFor[coupang.ExchangeListOptions](),
	reflect.TypeFor[coupang.ChangeRecord](),
	reflect.TypeFor[coupang.Courier](),
	reflect.TypeFor[coupang.Reason](),
	reflect.TypeFor[coupang.ReturnRequest](),
	reflect.TypeFor[coupang.ReturnChange](),
	reflect.TypeFor[coupang.ReturnPage](),
	reflect.TypeFor[coupang.ReturnWithdrawal](),
	reflect.TypeFor[coupang.ReturnListOptions](),
	reflect.TypeFor[coupang.ReturnActions](),
	reflect.TypeFor[coupang.ExchangeActions](),
	reflect.TypeFor[coupang.Money](),
	reflect.TypeFor[coupang.Time](),
}

// notModels are the package's exported struct types that hold no record of
// Coupang's: machinery, options and errors, whose texts have their own tests
// (redact_test.go, errors_test.go).
var notModels = map[string]string{
	"Client":            "machinery",
	"ExchangeService":   "machinery",
	"ChangeOptions":     "options of a pass: times and call options",
	"CommonOption":      "an option: a function",
	"Response":          "Do's raw answer: the caller asked for Coupang's bytes",
	"APIError":          "error: Body is never printed (TestAPIErrorBodyNeverPrinted)",
	"RequestError":      "error",
	"ValidationError":   "error: names the field, not a record",
	"RecordError":       "error: names the field, never the value (checked below)",
	"PageError":         "error: a list of RecordError (checked below)",
	"PauseError":        "error of the limiter",
	"Outcome":           "limiter feedback",
	"LimiterState":      "limiter metrics",
	"Protection":        "limiter settings: durations and counts",
	"ReturnService":     "machinery",
	"ClockJumpError":    "error: two times and a range, no record",
	"BatchError":        "error of Do: items' ids, Coupang's codes and messages",
	"BatchItem":         "one item of a BatchError",
	"Observer":          "telemetry hooks",
	"CallEvent":         "telemetry: operation names, durations, errors",
	"AttemptEvent":      "telemetry: method, url template, status",
	"LimiterWaitEvent":  "telemetry: a wait",
	"VendorEvent":       "telemetry: a pause or probe",
	"ListPageEvent":     "telemetry: counts of a page",
	"RecordErrorsEvent": "telemetry: counts of bad records",
	"ChangesPassEvent":  "telemetry: counts and lag of a pass",
	"EnsureEvent":       "telemetry: a step of an Ensure call",
}

// notPersonal are string fields whose names look like personal data but are
// not: product names and Coupang's own codes and labels.
var notPersonal = map[string]bool{
	"ExchangeRequest.ReasonCode":                   true, // Coupang's VOC code
	"ExchangeRequest.ReasonCodeText":               true, // Coupang's text for the code
	"ExchangeItem.OrderItemName":                   true, // product names
	"ExchangeItem.OrderPackageName":                true,
	"ExchangeItem.TargetItemName":                  true,
	"ExchangeItem.TargetPackageName":               true,
	"ExchangeReturnDestination.SafetyNumberStatus": true, // whether a safe number is in use
	"Courier.Name":                                 true, // a courier's name
	"ReturnRequest.ReasonCode":                     true, // Coupang's VOC code
	"ReturnRequest.ReasonCodeText":                 true, // Coupang's text for the code
	"ReturnRequest.CancelReasonCategory1":          true, // Coupang's reason categories (고객변심)
	"ReturnRequest.CancelReasonCategory2":          true,
	"ReturnItem.VendorItemPackageName":             true, // product names
	"ReturnItem.VendorItemName":                    true,
	"ReturnItem.SellerProductName":                 true,
}

// looksPersonal matches field names that usually hold personal data.
var looksPersonal = regexp.MustCompile(`(?i)name|addr|zip|phone|mobile|memo|message|detail|safety|reason|mail|text|words`)

// modelTypes returns every struct type of this package reachable from
// modelRoots through exported fields, slices, arrays, maps and pointers.
func modelTypes() []reflect.Type {
	pkg := reflect.TypeFor[coupang.ExchangeRequest]().PkgPath()
	var out []reflect.Type
	seen := map[reflect.Type]bool{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			visit(t.Elem())
			return
		case reflect.Map:
			visit(t.Key())
			visit(t.Elem())
			return
		case reflect.Struct:
		default:
			return
		}
		if t.PkgPath() != pkg || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, t)
		for f := range t.Fields() {
			if f.IsExported() {
				visit(f.Type)
			}
		}
	}
	for _, r := range modelRoots {
		visit(r)
	}
	return out
}

func isPersonal(f reflect.StructField) bool {
	return slices.Contains(strings.Split(f.Tag.Get("coupang"), ","), personalTag)
}

// fillPersonal sets every personal field below v to piiMarker, giving every
// slice two elements and every nil pointer to a struct a value on the way,
// so that nested types are filled too. It reports how many it set.
func fillPersonal(t *testing.T, v reflect.Value) int {
	pkg := reflect.TypeFor[coupang.ExchangeRequest]().PkgPath()
	n := 0
	switch v.Kind() {
	case reflect.Struct:
		if v.Type().PkgPath() != pkg {
			return 0
		}
		for i, f := range slices.Collect(v.Type().Fields()) {
			if !f.IsExported() {
				continue
			}
			if isPersonal(f) {
				require.Equal(t, reflect.String, f.Type.Kind(), "%s.%s is tagged personal but holds no text", v.Type().Name(), f.Name)
				v.Field(i).SetString(piiMarker)
				n++
				continue
			}
			n += fillPersonal(t, v.Field(i))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		}
		for i := range v.Len() {
			n += fillPersonal(t, v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			n += fillPersonal(t, v.Index(i))
		}
	case reflect.Pointer:
		if v.IsNil() && v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if !v.IsNil() {
			n += fillPersonal(t, v.Elem())
		}
	}
	return n
}

// assertNoMarker fails if s holds piiMarker in any of the forms a verb may
// print it in.
func assertNoMarker(t *testing.T, what, s string) {
	t.Helper()
	for _, form := range []string{piiMarker, hex.EncodeToString([]byte(piiMarker)), strings.ToUpper(hex.EncodeToString([]byte(piiMarker)))} {
		if strings.Contains(s, form) {
			t.Errorf("%s prints personal data: %.300s", what, s)
			return
		}
	}
}

// shapes are the ways a value of a model type reaches fmt or slog: as is,
// through a pointer, in a slice, a map, a struct, a slice of pointers and
// an any.
func shapes(v reflect.Value) map[string]any {
	t := v.Type()
	ptr := reflect.New(t)
	ptr.Elem().Set(v)
	slice := reflect.MakeSlice(reflect.SliceOf(t), 2, 2)
	slice.Index(0).Set(v)
	slice.Index(1).Set(v)
	m := reflect.MakeMap(reflect.MapOf(reflect.TypeFor[string](), t))
	m.SetMapIndex(reflect.ValueOf("k"), v)
	st := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "V", Type: t}})).Elem()
	st.Field(0).Set(v)
	ptrs := reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(t)), 1, 1)
	ptrs.Index(0).Set(ptr)
	return map[string]any{
		"value":             v.Interface(),
		"pointer":           ptr.Interface(),
		"slice":             slice.Interface(),
		"map":               m.Interface(),
		"struct":            st.Interface(),
		"slice of pointers": ptrs.Interface(),
		"map of any":        map[string]any{"k": v.Interface()},
	}
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %[1]v", "%10.3v"}

func TestPersonalDataNeverPrintedOrLogged(t *testing.T) {
	total := 0
	for _, typ := range modelTypes() {
		v := reflect.New(typ).Elem()
		n := fillPersonal(t, v)
		total += n
		if n == 0 {
			continue
		}
		t.Run(typ.Name(), func(t *testing.T) {
			for shape, x := range shapes(v) {
				for _, verb := range verbs {
					assertNoMarker(t, shape+" "+verb, fmt.Sprintf(verb, x))
				}
				assertNoMarker(t, shape+" Sprint", fmt.Sprint(x))
				assertNoMarker(t, shape+" Sprintln", fmt.Sprintln(x))
				assertNoMarker(t, shape+" in an error", fmt.Errorf("handling %v: %w", x, fmt.Errorf("%+v", x)).Error())
				for handler, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
					"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
					"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
				} {
					var buf bytes.Buffer
					log := slog.New(newHandler(&buf))
					log.Info("m", "v", x)
					log.Info("m", slog.Any("v", x))
					log.With("v", x).WithGroup("g").Info("m", "v", x)
					log.Info("m", x) // a value without a key
					assertNoMarker(t, shape+" slog "+handler, buf.String())
				}
				b, err := json.Marshal(x)
				require.NoError(t, err)
				assertNoMarker(t, shape+" encoding/json", string(b))
			}
		})
	}
	require.Positive(t, total, "no field is tagged personal")
}

// TestPersonalDataStoredByMarshalExchange: redaction is of printed and
// logged forms only; Coupang's own JSON, for storage, keeps every field.
func TestPersonalDataStoredByMarshalExchange(t *testing.T) {
	var ex coupang.ExchangeRequest
	n := fillPersonal(t, reflect.ValueOf(&ex).Elem())
	require.Positive(t, n)
	b, err := coupang.MarshalExchange(ex)
	require.NoError(t, err)
	assert.Equal(t, n, strings.Count(string(b), piiMarker), "every personal field is written")
	var back coupang.ExchangeRequest
	require.NoError(t, coupang.UnmarshalExchange(b, &back))
	assert.True(t, reflect.DeepEqual(ex, back), "read back equal")
}

// TestPersonalDataStoredByMarshalReturn: as for exchanges, Coupang's own
// JSON of a return keeps every personal field, and reads back equal.
func TestPersonalDataStoredByMarshalReturn(t *testing.T) {
	var r coupang.ReturnRequest
	n := fillPersonal(t, reflect.ValueOf(&r).Elem())
	require.Positive(t, n)
	b, err := coupang.MarshalReturn(r)
	require.NoError(t, err)
	assert.Equal(t, n, strings.Count(string(b), piiMarker), "every personal field is written")
	var back coupang.ReturnRequest
	require.NoError(t, coupang.UnmarshalReturn(b, &back))
	assert.True(t, reflect.DeepEqual(r, back), "read back equal")
}

// TestPersonalDataNotInDecodeErrors: a record whose personal fields are
// not text, or whose ids hold personal data, gives errors that name the
// field, never the value.
func TestPersonalDataNotInDecodeErrors(t *testing.T) {
	var ex coupang.ExchangeRequest
	fillPersonal(t, reflect.ValueOf(&ex).Elem())
	good, err := coupang.MarshalExchange(ex)
	require.NoError(t, err)
	quoted := `"` + piiMarker + `"`
	cases := map[string]string{
		"text as an object": strings.ReplaceAll(string(good), quoted, `{"v":`+quoted+`}`),
		"text as an array":  strings.ReplaceAll(string(good), quoted, `[`+quoted+`]`),
		"an id":             strings.Replace(string(good), `"exchangeId":0`, `"exchangeId":`+quoted, 1),
		"a time":            strings.Replace(string(good), `"createdAt":null`, `"createdAt":`+quoted, 1),
		"a bool":            strings.Replace(string(good), `"rejectable":false`, `"rejectable":`+quoted, 1),
	}
	for name, rec := range cases {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, string(good), rec)
			var got coupang.ExchangeRequest
			err := coupang.UnmarshalExchange([]byte(rec), &got)
			require.Error(t, err)
			for _, verb := range verbs {
				assertNoMarker(t, "UnmarshalExchange error "+verb, fmt.Sprintf(verb, err))
			}
			page := `{"code":200,"message":"OK","data":[` + rec + `,` + string(good) + `]}`
			_, err = coupang.DecodeExchangePage(strings.NewReader(page))
			require.Error(t, err)
			for _, verb := range verbs {
				assertNoMarker(t, "DecodeExchangePage error "+verb, fmt.Sprintf(verb, err))
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Error("m", "err", err)
			assertNoMarker(t, "slog of the error", buf.String())
		})
	}
}

// TestPersonalFieldsTagged guards the tag itself: a model field whose name
// looks like personal data is tagged, or listed in notPersonal with a
// reason.
func TestPersonalFieldsTagged(t *testing.T) {
	for _, typ := range modelTypes() {
		for f := range typ.Fields() {
			if !f.IsExported() || f.Type.Kind() != reflect.String {
				continue
			}
			name := typ.Name() + "." + f.Name
			if looksPersonal.MatchString(f.Name) && !isPersonal(f) && !notPersonal[name] &&
				!strings.HasSuffix(f.Name, "Label") {
				t.Errorf("%s looks like personal data: tag it `coupang:\"personal\"` or list it in notPersonal", name)
			}
		}
	}
}

// TestEveryModelTypeIsWalked fails when an exported struct type of the
// package is neither reached from modelRoots nor listed in notModels, so
// that a new model (the return requests, say) cannot skip the checks above.
func TestEveryModelTypeIsWalked(t *testing.T) {
	walked := map[string]bool{}
	for _, typ := range modelTypes() {
		walked[typ.Name()] = true
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if _, isStruct := ts.Type.(*ast.StructType); !isStruct || !ts.Name.IsExported() {
					continue
				}
				found++
				if !walked[ts.Name.Name] && notModels[ts.Name.Name] == "" {
					t.Errorf("%s (%s) is not reached from modelRoots: add it there, or to notModels if it can never hold a record", ts.Name.Name, name)
				}
			}
		}
	}
	require.Greater(t, found, 10)
}
