package courier

import "strings"

// Suggest returns the code of known that a mistyped code most likely
// means, for an error message ("did you mean CJGLS?"), or "": the code in
// capitals when that is known, else the only known code that starts with
// it in capitals. Programs never apply it themselves: input is refused,
// never rewritten.
func Suggest(code string, known []string) string {
	upper := strings.ToUpper(strings.TrimSpace(code))
	if upper == "" {
		return ""
	}
	var prefixed []string
	for _, k := range known {
		if k == upper {
			return k
		}
		if strings.HasPrefix(k, upper) {
			prefixed = append(prefixed, k)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// Near returns the codes of known, in their order, that a well-formed code
// outside known is one typing slip away from: one letter changed, added
// or left out, or two neighbours swapped (CJGSL for CJGLS). Such a code is
// far likelier a typo than one of the couriers Coupang adds without
// notice, so the programs refuse it unless told it is meant; a code far
// from every known one is sent as given. Nil when code is known itself.
func Near(code string, known []string) []string {
	var near []string
	for _, k := range known {
		if k == code {
			return nil
		}
		if oneSlip(code, k) {
			near = append(near, k)
		}
	}
	return near
}

// oneSlip reports whether a and b, which differ, are one edit or one
// transposition of neighbours apart.
func oneSlip(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return false
		}
		if a[i+1:] == b[i+1:] {
			return true // one letter changed
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:] // one letter added or left out
	}
	return false
}
