package journal

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"time"
)

// Header begins every journal file: the format's name and version. A file
// that begins otherwise is either one of version 0.1.0 (JSON, see
// legacy.go) or not a store at all.
const Header = "coupang-changes/2\n"

// A frame is one commit: its payload's length (uint32, little endian, never
// 0), the CRC-32C of that length's four bytes and the payload, and the
// payload, a sequence of operations. The length is checksummed too, and
// never 0, so that zeros (a file extended but not written) are never a
// frame. A
// commit is one frame so that a crash keeps all of it or none: a frame cut
// short, or whose checksum does not match, ends the journal there (the torn
// tail of a write the crash interrupted) and is dropped at the next write.
const frameHead = 8

// maxFrame bounds a frame's payload, so that a damaged length cannot make
// replay allocate gigabytes. Commits are far smaller (100 records are about
// 9 KB); one that is not is written by compaction, whose frames end once
// they pass snapshotChunk bytes, and no record may pass MaxFingerprint.
const maxFrame = 64 << 20

// snapshotChunk is the size past which a frame of a compacted file ends.
const snapshotChunk = 1 << 20

// MaxFingerprint bounds a record's fingerprint (Changes' are about 80
// bytes), so that every record fits in a frame.
const MaxFingerprint = 1 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// The operations of a payload, each a byte followed by its fields.
const (
	// opPut stores a record: id (varint), creation time in Unix seconds
	// (varint), fingerprint length (uvarint) and bytes.
	opPut byte = 1
	// opForget drops the records created before a time: Unix seconds
	// (varint) and nanoseconds (uvarint).
	opForget byte = 2
	// opMark records the last pass: Unix seconds (varint); 0 is none.
	opMark byte = 3
)

var errBadPayload = errors.New("damaged operation in a checksummed frame")

// beginFrame appends a frame head to b, to be filled by endFrame once the
// payload after it is complete: a frame built in place, without a copy.
func beginFrame(b []byte) (_ []byte, start int) {
	return append(b, make([]byte, frameHead)...), len(b)
}

func endFrame(b []byte, start int) []byte {
	payload := b[start+frameHead:]
	binary.LittleEndian.PutUint32(b[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[start+4:], frameSum(b[start:start+4], payload))
	return b
}

// nextFrame returns the payload of the frame at the start of b and the
// length of the frame, or ok false if b does not begin with a whole frame
// whose checksum matches.
func nextFrame(b []byte) (payload []byte, n int, ok bool) {
	if len(b) < frameHead {
		return nil, 0, false
	}
	size := binary.LittleEndian.Uint32(b)
	if size == 0 || size > maxFrame || uint64(size) > uint64(len(b)-frameHead) {
		return nil, 0, false
	}
	payload = b[frameHead : frameHead+int(size)]
	if frameSum(b[:4], payload) != binary.LittleEndian.Uint32(b[4:]) {
		return nil, 0, false
	}
	return payload, frameHead + int(size), true
}

// frameSum is the checksum of a frame: of its length and its payload.
func frameSum(length, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(length, castagnoli), castagnoli, payload)
}

func appendPut(b []byte, r Record) []byte {
	b = append(b, opPut)
	b = binary.AppendVarint(b, r.ID)
	b = binary.AppendVarint(b, r.Created)
	b = binary.AppendUvarint(b, uint64(len(r.Fingerprint)))
	return append(b, r.Fingerprint...)
}

// putSize is the length of r's put operation: what it adds to a compacted
// file.
func putSize(r Record) int64 {
	return int64(1 + varintLen(r.ID) + varintLen(r.Created) + uvarintLen(uint64(len(r.Fingerprint))) + len(r.Fingerprint))
}

func varintLen(v int64) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutVarint(buf[:], v)
}

func uvarintLen(v uint64) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], v)
}

func appendForget(b []byte, t time.Time) []byte {
	b = append(b, opForget)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendMark(b []byte, sec int64) []byte {
	b = append(b, opMark)
	return binary.AppendVarint(b, sec)
}

// sink takes the operations of a frame: a state applies them as they come,
// a replay may defer its forgets.
type sink interface {
	put(Record)
	forget(time.Time)
	mark(sec int64)
}

// applyPayload gives the operations of one frame to st.
func applyPayload(st sink, p []byte) error {
	for len(p) > 0 {
		op := p[0]
		p = p[1:]
		switch op {
		case opPut:
			id, n := binary.Varint(p)
			if n <= 0 || id <= 0 {
				return errBadPayload
			}
			p = p[n:]
			created, n := binary.Varint(p)
			if n <= 0 {
				return errBadPayload
			}
			p = p[n:]
			l, n := binary.Uvarint(p)
			if n <= 0 || l > uint64(len(p)-n) {
				return errBadPayload
			}
			fp := string(p[n : n+int(l)])
			p = p[n+int(l):]
			st.put(Record{ID: id, Created: created, Fingerprint: fp})
		case opForget:
			sec, n := binary.Varint(p)
			if n <= 0 {
				return errBadPayload
			}
			p = p[n:]
			nsec, n := binary.Uvarint(p)
			if n <= 0 || nsec >= 1e9 {
				return errBadPayload
			}
			p = p[n:]
			st.forget(time.Unix(sec, int64(nsec)))
		case opMark:
			sec, n := binary.Varint(p)
			if n <= 0 {
				return errBadPayload
			}
			p = p[n:]
			st.mark(sec)
		default:
			return errBadPayload
		}
	}
	return nil
}
