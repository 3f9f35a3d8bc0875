package coupang

// Options of the return calls: which of the API versions Coupang serves
// them under is used (see ReturnService).

// Versions of the return API that the options below accept.
const (
	// ReturnListVersionV6 is the current version of the list and single
	// query (money objects, times with offsets), the default.
	ReturnListVersionV6 = "v6"
	// ReturnListVersionV4 is the version before 2025-07 (plain numbers,
	// Korea times), which Coupang still serves.
	ReturnListVersionV4 = "v4"
	// ReturnActionVersionV4 is the version the pages of ConfirmReceipt and
	// Approve print, the default.
	ReturnActionVersionV4 = "v4"
	// ReturnActionVersionV5 is the version Coupang's 2025-06 notice gives
	// for the two; its body is not documented and is assumed the same.
	ReturnActionVersionV5 = "v5"
)

// WithReturnListVersion sets the API version of ReturnService.List, All and
// Get: ReturnListVersionV6 (the default) or ReturnListVersionV4. Both
// decode into the same ReturnRequest. It works for a client and for one
// call.
func WithReturnListVersion(v string) CommonOption {
	return common(func(c *Client) error {
		if v != ReturnListVersionV6 && v != ReturnListVersionV4 {
			return invalid("returnListVersion", "must be %q or %q, got %q", ReturnListVersionV6, ReturnListVersionV4, v)
		}
		c.returnListVersion = v
		return nil
	})
}

// WithReturnActionVersion sets the API version of ReturnService.ConfirmReceipt
// and Approve (and of the Ensure… calls that send them):
// ReturnActionVersionV4 (the default, what their pages print) or
// ReturnActionVersionV5 (what Coupang's 2025-06 notice lists). The other
// return actions exist in v4 only. It works for a client and for one call.
func WithReturnActionVersion(v string) CommonOption {
	return common(func(c *Client) error {
		if v != ReturnActionVersionV4 && v != ReturnActionVersionV5 {
			return invalid("returnActionVersion", "must be %q or %q, got %q", ReturnActionVersionV4, ReturnActionVersionV5, v)
		}
		c.returnActionVersion = v
		return nil
	})
}

func (c *Client) returnReadVersion() string {
	if c.returnListVersion == "" {
		return ReturnListVersionV6
	}
	return c.returnListVersion
}

func (c *Client) returnWriteVersion() string {
	if c.returnActionVersion == "" {
		return ReturnActionVersionV4
	}
	return c.returnActionVersion
}
