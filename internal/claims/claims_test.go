package claims

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rec struct {
	status string
	flag   bool
	name   string
}

var schema = &Schema[rec]{
	Version: "t1.",
	Fields: []Field[rec]{
		{Name: "status", Hash: func(r *rec) uint32 { return HashString(r.status) }},
		{Name: "flag", Boolean: true, Hash: func(r *rec) uint32 { return HashBool(r.flag) }},
	},
	Filled: []Filled[rec]{{Name: "name", Filled: func(r *rec) bool { return r.name != "" }}},
}

func TestSchemaCompare(t *testing.T) {
	fp := func(r rec) string { return schema.Fingerprint(&r) }
	base := fp(rec{status: "A"})
	tests := []struct {
		name string
		cur  rec
		want []string
	}{
		{"same", rec{status: "A"}, nil},
		{"changed", rec{status: "B"}, []string{"status"}},
		{"went empty: not a change", rec{}, nil},
		{"a boolean is never empty", rec{status: "A", flag: true}, []string{"flag"}},
		{"filled", rec{status: "A", name: "x"}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := schema.Compare(base, fp(tt.cur))
			require.True(t, ok)
			assert.Equal(t, tt.want, got)
		})
	}
	_, ok := schema.Compare("f1.AAAA", base)
	assert.False(t, ok, "another version or kind")
	_, ok = schema.Compare(WithdrawnMark, base)
	assert.False(t, ok)
	assert.Equal(t, HashInt64s([]int64{3, 0, 1}), HashInt64s([]int64{1, 3}), "a set, zero left out")
	assert.Zero(t, HashInt64s(nil))
	assert.Equal(t, HashSorted([]string{"b", "a"}), HashSorted([]string{"a", "b"}))
}

var (
	errUnknown = errors.New("unknown")
	errRefused = errors.New("refused")
	errOther   = errors.New("other")
	errState   = errors.New("state")
)

// fakeEnsure is a record whose write applies or not, answering in turn.
type fakeEnsure struct {
	applied  int
	answers  []error // what each send answers; the write applies unless errOther or errRefused
	reads    int
	closed   bool // the state no longer allows the action
	readErrs []error
}

func (f *fakeEnsure) ensure() Ensure[int] {
	return Ensure[int]{
		ID:   1,
		Done: func(*int) bool { return f.applied > 0 },
		Check: func(*int) error {
			if f.closed {
				return errState
			}
			return nil
		},
		Send: func(*int) error {
			err := f.answers[0]
			f.answers = f.answers[1:]
			if !errors.Is(err, errOther) && !errors.Is(err, errRefused) {
				f.applied++
			}
			return err
		},
		Read: func(context.Context) (*int, error) {
			f.reads++
			if len(f.readErrs) > 0 {
				err := f.readErrs[0]
				f.readErrs = f.readErrs[1:]
				if err != nil {
					return nil, err
				}
			}
			v := 0
			return &v, nil
		},
		Unknown:    func(err error) bool { return errors.Is(err, errUnknown) },
		Refused:    func(err error) bool { return errors.Is(err, errRefused) },
		ReadFailed: func(readErr, sendErr error) error { return errors.Join(readErr, sendErr) },
	}
}

func TestEnsureRun(t *testing.T) {
	var locks Locks
	ctx := context.Background()

	f := &fakeEnsure{answers: []error{nil}}
	require.NoError(t, f.ensure().Run(ctx, &locks, 0))
	assert.Equal(t, 1, f.applied)

	f = &fakeEnsure{answers: []error{errUnknown}}
	require.NoError(t, f.ensure().Run(ctx, &locks, 0), "applied behind an unknown answer: read, found done")
	assert.Equal(t, 1, f.applied)
	assert.Equal(t, 2, f.reads)

	f = &fakeEnsure{answers: []error{errOther}}
	require.ErrorIs(t, f.ensure().Run(ctx, &locks, 0), errOther, "a definite failure is returned")
	assert.Equal(t, 1, f.reads, "not read again")

	f = &fakeEnsure{answers: []error{errRefused}}
	require.ErrorIs(t, f.ensure().Run(ctx, &locks, 0), errRefused, "refused in a state that allows it")

	f = &fakeEnsure{answers: []error{errUnknown}, readErrs: []error{nil, errOther}}
	err := f.ensure().Run(ctx, &locks, 0)
	require.ErrorIs(t, err, errOther)
	require.ErrorIs(t, err, errUnknown, "the read's failure and the write's answer")

	f = &fakeEnsure{closed: true}
	require.ErrorIs(t, f.ensure().Run(ctx, &locks, 0), errState)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	unlock, err := locks.Lock(ctx, 1)
	require.NoError(t, err)
	f = &fakeEnsure{answers: []error{nil}}
	require.ErrorIs(t, f.ensure().Run(cancelled, &locks, 0), context.Canceled, "waits for the record's lock")
	unlock()
}
