package claims

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"
)

// Field is one field of a record whose change is a change of the record.
// Its hash is 0 when the field is empty, so that "went empty" can be told
// from "changed".
type Field[R any] struct {
	Name string
	// Boolean fields are never "empty": false is a value.
	Boolean bool
	Hash    func(*R) uint32
}

// Filled is one field whose going from empty to filled is a change: what a
// re-collection after an incident brings. Only whether it is filled is
// stored, never the value (most are personal data).
type Filled[R any] struct {
	Name   string
	Filled func(*R) bool
}

// Schema is what a store keeps of a kind of record: a version prefix, the
// tracked fields and the filled fields. The order of both lists is part of
// the stored format: append only, and change Version when changing it.
// At most 32 filled fields.
type Schema[R any] struct {
	Version string
	Fields  []Field[R]
	Filled  []Filled[R]
}

// Fingerprint encodes r as printable text for any store: the filled bits
// and one hash per tracked field.
func (s *Schema[R]) Fingerprint(r *R) string {
	b := make([]byte, 4*(1+len(s.Fields)))
	var filled uint32
	for i, f := range s.Filled {
		if f.Filled(r) {
			filled |= 1 << i
		}
	}
	binary.BigEndian.PutUint32(b, filled)
	for i, f := range s.Fields {
		binary.BigEndian.PutUint32(b[4*(i+1):], f.Hash(r))
	}
	return s.Version + base64.RawURLEncoding.EncodeToString(b)
}

// decode reads a fingerprint of this schema; false when another version
// (or another kind) wrote it.
func (s *Schema[R]) decode(text string) (filled uint32, fields []uint32, ok bool) {
	if len(text) < len(s.Version) || text[:len(s.Version)] != s.Version {
		return 0, nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(text[len(s.Version):])
	if err != nil || len(b) != 4*(1+len(s.Fields)) {
		return 0, nil, false
	}
	fields = make([]uint32, len(s.Fields))
	for i := range fields {
		fields[i] = binary.BigEndian.Uint32(b[4*(i+1):])
	}
	return binary.BigEndian.Uint32(b), fields, true
}

// Compare names the fields that make old → cur a change; ok is false when
// old cannot be read (another version wrote it). A tracked field that went
// empty is not a change (that is what Coupang's incidents look like).
func (s *Schema[R]) Compare(oldText, curText string) (changed []string, ok bool) {
	oldFilled, oldFields, ok1 := s.decode(oldText)
	curFilled, curFields, ok2 := s.decode(curText)
	if !ok1 || !ok2 {
		return nil, false
	}
	for i, f := range s.Fields {
		o, c := oldFields[i], curFields[i]
		if o == c || (c == 0 && !f.Boolean) {
			continue
		}
		changed = append(changed, f.Name)
	}
	for i, f := range s.Filled {
		if curFilled&^oldFilled&(1<<i) != 0 {
			changed = append(changed, f.Name)
		}
	}
	return changed, true
}

// HashString hashes s; "" is 0 (empty).
func HashString(s string) uint32 {
	if s == "" {
		return 0
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return nonZero(h.Sum32())
}

// HashBool hashes a boolean, never 0.
func HashBool(b bool) uint32 {
	if b {
		return 2
	}
	return 1
}

// HashUnix hashes a time in seconds; 0 when zero is set.
func HashUnix(zero bool, sec int64) uint32 {
	if zero {
		return 0
	}
	return HashString(strconv.FormatInt(sec, 10))
}

// HashInt64s hashes a set of non-zero ids in any order; 0 when there is
// none.
func HashInt64s(ids []int64) uint32 {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 })
	if len(ids) == 0 {
		return 0
	}
	slices.Sort(ids)
	var b []byte
	for _, id := range ids {
		b = strconv.AppendInt(b, id, 10)
		b = append(b, ',')
	}
	return HashString(string(b))
}

// HashSorted hashes parts in any order; 0 when there is none.
func HashSorted(parts []string) uint32 {
	if len(parts) == 0 {
		return 0
	}
	slices.Sort(parts)
	h := fnv.New32a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return nonZero(h.Sum32())
}

// nonZero keeps 0 for "empty": a real value hashing to 0 becomes 1.
func nonZero(h uint32) uint32 {
	if h == 0 {
		return 1
	}
	return h
}
