package coupang_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func TestChangesNewThenOneUpdateThenQuiet(t *testing.T) {
	for name, newStore := range map[string]func(t *testing.T) coupang.ChangeStore{
		"memory": func(*testing.T) coupang.ChangeStore { return coupang.NewMemoryChangeStore() },
		"file": func(t *testing.T) coupang.ChangeStore {
			s, err := coupang.NewFileChangeStore(filepath.Join(t.TempDir(), "changes.json"))
			require.NoError(t, err)
			return s
		},
	} {
		t.Run(name, func(t *testing.T) {
			sb := newSyncSandbox(t, 5)
			store := newStore(t)

			first := sb.pass(t, store, coupang.ChangeOptions{})
			assert.Equal(t, sb.ids, changeIDs(first), "every exchange is new, oldest first")
			for _, ch := range first {
				assert.Equal(t, coupang.ChangeNew, ch.Kind)
				assert.Nil(t, ch.Changed)
			}

			sb.srv.UpdateExchange(sb.ids[2], func(ex *coupang.ExchangeRequest) {
				ex.CollectStatus = coupang.CollectStatusCompleteCollect
				ex.Rejectable = false
			})
			second := sb.pass(t, store, coupang.ChangeOptions{})
			require.Len(t, second, 1)
			assert.Equal(t, coupang.ChangeUpdated, second[0].Kind)
			assert.Equal(t, sb.ids[2], int64(second[0].Exchange.ExchangeID))
			assert.Equal(t, coupang.CollectStatusCompleteCollect, second[0].Exchange.CollectStatus)
			assert.Equal(t, []string{"CollectStatus", "Rejectable"}, second[0].Changed)

			assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{}), "a quiet pass yields nothing")
		})
	}
}

func TestChangesTracksEachField(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*coupang.ExchangeRequest)
		changed []string // nil: not a change
	}{
		{"status", func(ex *coupang.ExchangeRequest) { ex.Status = coupang.ExchangeStatusCancel }, []string{"Status"}},
		{"delivery status", func(ex *coupang.ExchangeRequest) { ex.DeliveryStatus = coupang.DeliveryStatusDelivering }, []string{"DeliveryStatus"}},
		{"order delivery status", func(ex *coupang.ExchangeRequest) {
			ex.OrderDeliveryStatus = coupang.OrderDeliveryStatusFinalDelivery
		}, []string{"OrderDeliveryStatus"}},
		{"successable", func(ex *coupang.ExchangeRequest) { ex.Successable = true }, []string{"Successable"}},
		{"modifiable", func(ex *coupang.ExchangeRequest) { ex.DeliveryInvoiceModifiable = true }, []string{"DeliveryInvoiceModifiable"}},
		{"new box", func(ex *coupang.ExchangeRequest) {
			ex.DeliveryInvoiceGroups = append(ex.DeliveryInvoiceGroups, coupang.DeliveryInvoiceGroup{ShipmentBoxID: 500000000000000001})
		}, []string{"DeliveryInvoiceGroups"}},
		{"pickup waybill", func(ex *coupang.ExchangeRequest) {
			ex.ReturnDeliveries = []coupang.ExchangeReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "123456789012"}}
		}, []string{"ReturnDeliveries"}},
		{"cancel reason", func(ex *coupang.ExchangeRequest) { ex.CancelReason = "고객 철회" }, []string{"CancelReason"}},
		{"modified at", func(ex *coupang.ExchangeRequest) {
			ex.ModifiedAt = ex.CreatedAt
			ex.ModifiedAt = ex.ModifiedAt.Add(time.Hour)
		}, []string{"ModifiedAt"}},
		{"a field filled", func(ex *coupang.ExchangeRequest) { ex.CollectInformation.Destination.SafetyNumber = "0502-0000-0000" },
			[]string{"CollectInformation.Destination.SafetyNumber"}},
		// Recomputed or untracked: never a change.
		{"labels", func(ex *coupang.ExchangeRequest) { ex.StatusLabel = "접수"; ex.FaultTypeLabel = "고객과실" }, nil},
		{"amount", func(ex *coupang.ExchangeRequest) { ex.ExchangeAmount = coupang.Money{Units: 3000} }, nil},
		{"address text", func(ex *coupang.ExchangeRequest) { ex.Address.DeliveryMobile = "0502-9999-9999" }, nil},
		// A field going empty is what an incident looks like.
		{"a filled field emptied", func(ex *coupang.ExchangeRequest) { ex.Address.DeliveryMobile = "" }, nil},
		{"status emptied", func(ex *coupang.ExchangeRequest) { ex.Status = "" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSyncSandbox(t, 1)
			store := coupang.NewMemoryChangeStore()
			require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 1)
			sb.srv.UpdateExchange(sb.ids[0], tt.change)
			got := sb.pass(t, store, coupang.ChangeOptions{})
			if tt.changed == nil {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, tt.changed, got[0].Changed)
		})
	}
}

func TestChangesBreakThenReopenedFileStore(t *testing.T) {
	sb := newSyncSandbox(t, 5)
	path := filepath.Join(t.TempDir(), "changes.json")
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)

	var handled []int64
	for ch, err := range sb.client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, sb.clock.Now)) {
		require.NoError(t, err)
		handled = append(handled, ch.Exchange.ExchangeID)
		if len(handled) == 3 {
			break // the third one is not acknowledged: the loop did not ask for more
		}
	}
	require.Equal(t, sb.ids[:3], handled)

	reopened, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	again := sb.pass(t, reopened, coupang.ChangeOptions{})
	assert.Equal(t, sb.ids[2:], changeIDs(again), "the unacknowledged come again, the acknowledged do not")
	assert.Empty(t, sb.pass(t, reopened, coupang.ChangeOptions{}))
}

func TestChangesErrorKeepsAcknowledgedOnly(t *testing.T) {
	sb := newSyncSandbox(t, 3)
	store := coupang.NewMemoryChangeStore()
	// Two list windows: the second one's call fails for good.
	for _, id := range sb.ids {
		sb.srv.UpdateExchange(id, func(ex *coupang.ExchangeRequest) {})
	}
	old := sb.add(10*24*time.Hour, nil)
	var got []int64
	var errs []error
	calls := 0
	for ch, err := range sb.client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{Lookback: 14 * 24 * time.Hour}, sb.clock.Now)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, ch.Exchange.ExchangeID)
		calls++
		if calls == 1 {
			sb.srv.FailNext(1, http.StatusBadRequest)
		}
	}
	require.Equal(t, []int64{old}, got, "the first window holds the old one")
	require.Len(t, errs, 1)
	var apiErr *coupang.APIError
	require.ErrorAs(t, errs[0], &apiErr)

	again := sb.pass(t, store, coupang.ChangeOptions{Lookback: 14 * 24 * time.Hour})
	assert.Equal(t, sb.ids, changeIDs(again), "the pass resumes where the error stopped it")
}

func TestChangesReCollectionAfterAnIncident(t *testing.T) {
	sb := newSyncSandbox(t, 2)
	store := coupang.NewMemoryChangeStore()
	blank := func(ex *coupang.ExchangeRequest) {
		ex.Address.DeliveryMobile = ""
		ex.CollectInformation.Destination.SafetyNumber = ""
	}

	// A filled field going null during an incident is not a change.
	require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 2)
	sb.srv.StartIncident(blank)
	assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{}))

	// A new exchange first seen during the incident comes again, updated,
	// once the fields are filled.
	late := sb.add(time.Hour, func(ex *coupang.ExchangeRequest) { ex.CollectInformation.Destination.SafetyNumber = "0502-1111-2222" })
	during := sb.pass(t, store, coupang.ChangeOptions{})
	require.Equal(t, []int64{late}, changeIDs(during))
	assert.Empty(t, during[0].Exchange.Address.DeliveryMobile)

	sb.srv.EndIncident()
	after := sb.pass(t, store, coupang.ChangeOptions{})
	require.Equal(t, []int64{late}, changeIDs(after))
	assert.Equal(t, coupang.ChangeUpdated, after[0].Kind)
	assert.Equal(t, []string{"Address.DeliveryMobile", "CollectInformation.Destination.SafetyNumber"}, after[0].Changed)
	assert.Equal(t, "0502-1234-5678", string(after[0].Exchange.Address.DeliveryMobile))
	assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{}))
}

func TestChangesFindsRecordsThatAppearLate(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	store := coupang.NewMemoryChangeStore()
	ex := coupang.ExchangeRequest{OrderID: 31000000000099}
	ex.CreatedAt = sb.clock.Now().Add(-3 * 24 * time.Hour)
	late := sb.srv.AddExchangeLate(sb.clock.Now().Add(time.Minute), ex)

	assert.Equal(t, sb.ids, changeIDs(sb.pass(t, store, coupang.ChangeOptions{})))
	sb.clock.Advance(2 * time.Minute)
	got := sb.pass(t, store, coupang.ChangeOptions{})
	assert.Equal(t, []int64{late}, changeIDs(got), "created three days ago, listed only now, still found")
	assert.Equal(t, coupang.ChangeNew, got[0].Kind)
}

func TestChangesSeesScheduledStateChanges(t *testing.T) {
	sb := newSyncSandbox(t, 2)
	store := coupang.NewMemoryChangeStore()
	sb.srv.UpdateExchangeAt(sb.clock.Now().Add(time.Minute), sb.ids[1], func(ex *coupang.ExchangeRequest) {
		ex.CollectStatus = coupang.CollectStatusCompleteCollect
	})
	require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 2)
	assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{}))
	sb.clock.Advance(time.Minute)
	got := sb.pass(t, store, coupang.ChangeOptions{})
	require.Equal(t, []int64{sb.ids[1]}, changeIDs(got))
	assert.Equal(t, []string{"CollectStatus"}, got[0].Changed)
}

func TestChangesForgetsWhatIsOlderThanTheLookback(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	path := filepath.Join(t.TempDir(), "changes.json")
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	old := sb.add(40*24*time.Hour, nil)

	// An explicit From re-collects an older range.
	got := sb.pass(t, store, coupang.ChangeOptions{From: sb.clock.Now().Add(-45 * 24 * time.Hour)})
	assert.Equal(t, []int64{old, sb.ids[0]}, changeIDs(got))
	assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{From: sb.clock.Now().Add(-45 * 24 * time.Hour)}))

	// An ordinary pass forgets it; a later re-collection finds it new again.
	assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{}))
	reopened, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	pass, err := reopened.BeginPass(context.Background())
	require.NoError(t, err)
	_, found, err := pass.Lookup(context.Background(), old)
	require.NoError(t, err)
	assert.False(t, found, "forgotten")
	_, found, err = pass.Lookup(context.Background(), sb.ids[0])
	require.NoError(t, err)
	assert.True(t, found, "kept")
	require.NoError(t, pass.Close())
	got = sb.pass(t, store, coupang.ChangeOptions{From: sb.clock.Now().Add(-45 * 24 * time.Hour)})
	assert.Equal(t, []int64{old}, changeIDs(got))
}

func TestChangesStoreHoldsNoPersonalData(t *testing.T) {
	sb := newSyncSandbox(t, 3)
	path := filepath.Join(t.TempDir(), "changes.json")
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	sb.pass(t, store, coupang.ChangeOptions{})
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "0502")
	assert.NotContains(t, string(b), "RECEIPT")
	assert.Equal(t, 3, strings.Count(string(b), "f1."))
}

func TestChangesRefusesConcurrentPasses(t *testing.T) {
	openFile := func(t *testing.T, path string) coupang.ChangeStore {
		s, err := coupang.NewFileChangeStore(path)
		require.NoError(t, err)
		return s
	}
	for name, stores := range map[string]func(t *testing.T) [2]coupang.ChangeStore{
		"memory": func(*testing.T) [2]coupang.ChangeStore {
			mem := coupang.NewMemoryChangeStore()
			return [2]coupang.ChangeStore{mem, mem}
		},
		"file, same store": func(t *testing.T) [2]coupang.ChangeStore {
			s := openFile(t, filepath.Join(t.TempDir(), "changes.json"))
			return [2]coupang.ChangeStore{s, s}
		},
		"file, two handles as two processes": func(t *testing.T) [2]coupang.ChangeStore {
			path := filepath.Join(t.TempDir(), "changes.json")
			return [2]coupang.ChangeStore{openFile(t, path), openFile(t, path)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			sb := newSyncSandbox(t, 2)
			stores := stores(t)
			n, refused := 0, 0
			for _, err := range sb.client.Exchanges.Changes(context.Background(), stores[0], coupang.WithChangeClock(coupang.ChangeOptions{}, sb.clock.Now)) {
				require.NoError(t, err)
				n++
				for _, err := range sb.client.Exchanges.Changes(context.Background(), stores[1], coupang.WithChangeClock(coupang.ChangeOptions{}, sb.clock.Now)) {
					require.ErrorIs(t, err, coupang.ErrPassInProgress)
					refused++
				}
			}
			require.Equal(t, 2, n)
			require.Equal(t, 2, refused)
			// Once the first pass ended, the store is free again, and the
			// other handle sees its commits.
			assert.Empty(t, sb.pass(t, stores[1], coupang.ChangeOptions{}))
		})
	}
}

func TestFileChangeStoreSurvivesATornWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "changes.json")
	sb := newSyncSandbox(t, 2)
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 2)
	good, err := os.ReadFile(path)
	require.NoError(t, err)

	// A crash in the middle of the next write leaves a torn temporary file.
	torn := filepath.Join(dir, "changes.json.tmp-123456")
	require.NoError(t, os.WriteFile(torn, good[:len(good)/2], 0o600))

	reopened, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	assert.Empty(t, sb.pass(t, reopened, coupang.ChangeOptions{}), "the store is the last complete write")
	sb.srv.UpdateExchange(sb.ids[0], func(ex *coupang.ExchangeRequest) { ex.Status = coupang.ExchangeStatusCancel })
	require.Len(t, sb.pass(t, reopened, coupang.ChangeOptions{}), 1)
	_, err = os.Stat(torn)
	assert.ErrorIs(t, err, os.ErrNotExist, "the next commit removes what the crash left")
}

func TestFileChangeStoreRefusesADamagedFile(t *testing.T) {
	for name, content := range map[string]string{
		"truncated":     `{"format":"coupang-changes/1","records":[[1,2,"f1.`,
		"other format":  `{"format":"something-else","records":[]}`,
		"bad record":    `{"format":"coupang-changes/1","records":[["x",2,"f1."]]}`,
		"not json":      "hello",
		"bad last pass": `{"format":"coupang-changes/1","lastPass":"yesterday","records":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "changes.json")
			require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
			_, err := coupang.NewFileChangeStore(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
		})
	}
}

func TestChangesValidation(t *testing.T) {
	sb := newSyncSandbox(t, 0)
	for name, tt := range map[string]struct {
		store coupang.ChangeStore
		opts  coupang.ChangeOptions
		field string
	}{
		"nil store":         {nil, coupang.ChangeOptions{}, "store"},
		"negative lookback": {coupang.NewMemoryChangeStore(), coupang.ChangeOptions{Lookback: -time.Hour}, "Lookback"},
		"future from":       {coupang.NewMemoryChangeStore(), coupang.ChangeOptions{From: time.Now().Add(time.Hour)}, "From"},
	} {
		t.Run(name, func(t *testing.T) {
			var errs []error
			for _, err := range sb.client.Exchanges.Changes(context.Background(), tt.store, tt.opts) {
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			requireValidation(t, errs[0], tt.field)
			assert.Empty(t, sb.srv.Calls())
		})
	}
}

func TestChangesStoreFailureIsReported(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	store := failingStore{coupang.NewMemoryChangeStore()}
	var errs []error
	for _, err := range sb.client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, sb.clock.Now)) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], errDiskFull)
}

var errDiskFull = errors.New("disk full")

// failingStore cannot commit.
type failingStore struct{ coupang.ChangeStore }

func (s failingStore) BeginPass(ctx context.Context) (coupang.ChangePass, error) {
	p, err := s.ChangeStore.BeginPass(ctx)
	return failingPass{p}, err
}

type failingPass struct{ coupang.ChangePass }

func (failingPass) Commit(context.Context, []coupang.ChangeRecord, time.Time) error {
	return errDiskFull
}

func TestChangesPassesRecordErrorsOnAndGoesOn(t *testing.T) {
	sb := newSyncSandbox(t, 3, coupangtest.WithoutQuirks())
	sb.srv.UpdateExchange(sb.ids[1], func(ex *coupang.ExchangeRequest) { ex.ReasonCode = "CORRUPTME" })
	var corrupt atomic.Bool
	corrupt.Store(true)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sb.srv.ServeHTTP(rec, r)
		body := rec.Body.String()
		if corrupt.Load() {
			body = strings.ReplaceAll(body, `"reasonCode":"CORRUPTME"`, `"reasonCode":{"not":"a string"}`)
		}
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(proxy.Close)
	client, err := sb.srv.Client(coupang.WithBaseURL(proxy.URL))
	require.NoError(t, err)
	store := coupang.NewMemoryChangeStore()

	var got []int64
	var recErrs []*coupang.RecordError
	for ch, err := range client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, sb.clock.Now)) {
		var recErr *coupang.RecordError
		if errors.As(err, &recErr) {
			recErrs = append(recErrs, recErr)
			continue
		}
		require.NoError(t, err)
		got = append(got, ch.Exchange.ExchangeID)
	}
	assert.Equal(t, []int64{sb.ids[0], sb.ids[2]}, got, "the pass goes on past the bad record")
	require.Len(t, recErrs, 1)
	assert.Equal(t, sb.ids[1], recErrs[0].ExchangeID)

	corrupt.Store(false)
	again := sb.pass(t, store, coupang.ChangeOptions{})
	assert.Equal(t, []int64{sb.ids[1]}, changeIDs(again), "the bad record was not recorded as seen")
	assert.Equal(t, coupang.ChangeNew, again[0].Kind)
}

func TestQuietPassDoesNotWriteTheFile(t *testing.T) {
	sb := newSyncSandbox(t, 2)
	path := filepath.Join(t.TempDir(), "changes.json")
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 2)
	before, err := os.Stat(path)
	require.NoError(t, err)
	require.NoError(t, os.Chtimes(path, time.Time{}, before.ModTime().Add(-time.Hour)))
	assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{}))
	after, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, before.ModTime().Add(-time.Hour), after.ModTime(), "not rewritten")
}
