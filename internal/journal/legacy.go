package journal

import (
	"encoding/json"
	"errors"
	"fmt"
)

// legacyFormat names the layout of version 0.1.0: one JSON object, written
// whole at every commit.
const legacyFormat = "coupang-changes/1"

// legacyFile is the JSON of version 0.1.0: each record as [id, createdAt in
// Unix seconds, fingerprint]; lastPass (Unix seconds, absent when none)
// was added after 0.1.0, in the same format.
type legacyFile struct {
	Format   string            `json:"format"`
	LastPass int64             `json:"lastPass"`
	Records  []json.RawMessage `json:"records"`
}

// readLegacy reads a file of version 0.1.0 into st.
func readLegacy(b []byte, st *state) error {
	var data legacyFile
	if err := json.Unmarshal(b, &data); err != nil || data.Format != legacyFormat {
		return fmt.Errorf("%w (format %q): %v", ErrNotStore, data.Format, err)
	}
	for i, raw := range data.Records {
		var rec [3]json.RawMessage
		var id, created int64
		var fp string
		if err := json.Unmarshal(raw, &rec); err == nil {
			err = errors.Join(json.Unmarshal(rec[0], &id), json.Unmarshal(rec[1], &created), json.Unmarshal(rec[2], &fp))
			if err == nil && id > 0 {
				st.put(Record{ID: id, Created: created, Fingerprint: fp})
				continue
			}
		}
		return fmt.Errorf("%w: record %d is damaged", ErrNotStore, i)
	}
	st.lastPass = data.LastPass
	return nil
}
