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
