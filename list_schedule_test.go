package coupang

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// scheduleRun drives a schedule as the lister does, from a script of
// events, and checks the schedule's invariants after each one. It keeps
// its own account of who pages what, so that the schedule's answers are
// checked against what happened rather than against its own fields.
type scheduleRun struct {
	t    *testing.T
	s    schedule
	from time.Time

	maxK     int          // the largest K any event used
	workers  map[int]bool // windows a worker pages now
	worked   map[int]bool // windows whose worker stopped
	looping  int          // the window the loop pages itself, or -1
	inside   int          // the window the loop is in, or -1
	entered  []int        // the windows the loop entered, in order
	starts   []int        // the windows handed to workers, in order
	stopped  bool
	finished map[int]bool // windows whose paging stopped, by anyone
}

func newScheduleRun(t *testing.T, span time.Duration, resume bool) *scheduleRun {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	return &scheduleRun{
		t: t, from: from,
		s:        schedule{next: from, end: from.Add(span), resume: resume},
		maxK:     1,
		workers:  map[int]bool{},
		worked:   map[int]bool{},
		finished: map[int]bool{},
		looping:  -1,
		inside:   -1,
	}
}

// startWorkers is the lister's startLocked: every window the schedule hands
// out goes to a new worker.
func (r *scheduleRun) startWorkers(k int, cold bool) {
	r.maxK = max(r.maxK, k)
	for {
		i, ok := r.s.startWorker(k, cold)
		if !ok {
			return
		}
		switch {
		case r.stopped:
			r.t.Fatalf("window %d started after the context ended", i)
		case len(r.starts) > 0 && i <= r.starts[len(r.starts)-1]:
			r.t.Fatalf("window %d handed out after window %d", i, r.starts[len(r.starts)-1])
		case i < r.s.cur:
			r.t.Fatalf("window %d handed to a worker behind the loop's %d", i, r.s.cur)
		case i >= r.s.cur+windowsAhead*r.s.slots(k):
			r.t.Fatalf("window %d started more than %d×%d windows ahead of the loop's %d", i, windowsAhead, r.s.slots(k), r.s.cur)
		case k <= 1:
			r.t.Fatalf("window %d handed to a worker with K 1: the loop pages every window itself", i)
		case i == r.looping || r.workers[i] || r.finished[i]:
			r.t.Fatalf("window %d started twice", i)
		}
		r.starts = append(r.starts, i)
		r.workers[i] = true
	}
}

// enter is the lister's enter: offer the loop's window to workers when
// K > 1, then move the loop into it.
func (r *scheduleRun) enter(k int, cold bool) loopStep {
	r.startWorkers(k, cold)
	i, step := r.s.enter(k, cold)
	want := len(r.entered) // oldest first, each window once
	switch step {
	case stepStopped:
		if !r.stopped {
			r.t.Fatalf("enter reports a stop nobody made")
		}
		return step
	case stepDone:
		if r.stopped {
			r.t.Fatalf("enter reports the range covered after the context ended")
		}
		if !r.s.planned || i != len(r.s.windows) {
			r.t.Fatalf("range reported covered at window %d of %d, planned %t", i, len(r.s.windows), r.s.planned)
		}
		return step
	}
	if r.stopped {
		r.t.Fatalf("the loop entered window %d after the context ended", i)
	}
	if i != want {
		r.t.Fatalf("the loop entered window %d, want %d: windows are read oldest first", i, want)
	}
	switch step {
	case stepRead:
		if !r.workers[i] && !r.worked[i] {
			r.t.Fatalf("the loop reads window %d that no worker started", i)
		}
	case stepPage:
		if r.workers[i] || r.worked[i] || r.finished[i] {
			r.t.Fatalf("the loop pages window %d that a worker started", i)
		}
		r.looping = i
	default:
		r.t.Fatalf("unknown step %d", step)
	}
	r.entered = append(r.entered, i)
	r.inside = i
	return step
}

// finishWorker ends the paging of the n-th running worker (in window order).
func (r *scheduleRun) finishWorker(n int) {
	running := r.running()
	if len(running) == 0 {
		return
	}
	i := running[n%len(running)]
	if !r.s.finish(i) {
		r.t.Fatalf("finishing window %d, which a worker pages, was refused", i)
	}
	delete(r.workers, i)
	r.worked[i] = true
	r.finished[i] = true
}

// finishLoop ends the loop's own paging of its window.
func (r *scheduleRun) finishLoop() {
	if r.looping < 0 {
		return
	}
	if !r.s.finish(r.looping) {
		r.t.Fatalf("finishing window %d, which the loop pages, was refused", r.looping)
	}
	r.finished[r.looping] = true
	r.looping = -1
}

// leave moves the loop out of its window once the window's paging stopped,
// as the lister does after reading it to its end.
func (r *scheduleRun) leave() {
	if r.inside < 0 || !r.finished[r.inside] {
		if r.inside >= 0 && r.s.leave(r.inside) {
			r.t.Fatalf("the loop left window %d while it was still paged", r.inside)
		}
		return
	}
	if !r.s.leave(r.inside) {
		r.t.Fatalf("leaving window %d, read to its end, was refused", r.inside)
	}
	r.inside = -1
}

// strayIndexes are window indexes for events that do not apply, from x:
// before the first window, among and past the planned ones, around the
// loop's.
func (r *scheduleRun) strayIndexes(x int) []int {
	return []int{-1 - x, x, len(r.s.windows) + x, r.s.cur + x%3 - 1}
}

// stray sends finish and leave events that do not apply — for windows
// nobody pages, or that the loop is not in or has not read — unless one of
// the indexes is a window where they would apply. They must be refused and
// change nothing.
func (r *scheduleRun) stray(x int) {
	idx := r.strayIndexes(x)
	for _, i := range idx {
		if r.workers[i] || r.looping == i || (i == r.inside && r.finished[i]) {
			return // the event would apply
		}
	}
	before := r.snapshot()
	for _, i := range idx {
		if r.s.finish(i) {
			r.t.Fatalf("finish(%d) accepted: nobody pages window %d", i, i)
		}
		if r.s.leave(i) {
			r.t.Fatalf("leave(%d) accepted: the loop is in %d, paged to its end %t", i, r.inside, r.finished[r.inside])
		}
	}
	if after := r.snapshot(); after != before {
		r.t.Fatalf("events that do not apply changed the schedule:\n%s\n%s", before, after)
	}
}

func (r *scheduleRun) snapshot() string {
	return fmt.Sprintf("%+v", r.s)
}

func (r *scheduleRun) running() []int {
	var out []int
	for i := range r.workers {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// check asserts the schedule's invariants.
func (r *scheduleRun) check() {
	t, s := r.t, &r.s
	if len(s.state) != len(s.windows) {
		t.Fatalf("%d states for %d windows", len(s.state), len(s.windows))
	}
	if !(0 <= s.cur && s.cur <= s.started && s.started <= len(s.windows)) {
		t.Fatalf("cur %d, started %d, windows %d: want cur ≤ started ≤ windows", s.cur, s.started, len(s.windows))
	}
	active := 0
	for i, st := range s.state {
		switch {
		case i >= s.started && st != windowPlanned:
			t.Fatalf("window %d is %d beyond the started ones", i, st)
		case i < s.started && st == windowPlanned:
			t.Fatalf("window %d is among the started ones but planned", i)
		case i < s.cur && st != windowWorked && st != windowLooped:
			t.Fatalf("the loop left window %d while it was paged", i)
		case st == windowLooping && i != s.cur:
			t.Fatalf("the loop pages window %d, it is in %d", i, s.cur)
		}
		if st == windowWorking || st == windowLooping {
			active++
		}
		if (st == windowWorking) != r.workers[i] || (st == windowLooping) != (r.looping == i) {
			t.Fatalf("window %d is %d; the run says worker %t, loop %t", i, st, r.workers[i], r.looping == i)
		}
	}
	if active != s.active {
		t.Fatalf("active %d, but %d windows are being paged", s.active, active)
	}
	if s.active > s.slots(r.maxK)+1 {
		t.Fatalf("%d windows paged at once with K at most %d (%d slots)", s.active, r.maxK, s.slots(r.maxK))
	}
	next, end := r.from, s.end
	if s.days {
		next, end = startOfDay(r.from), startOfDay(s.end)
	}
	for i, w := range s.windows {
		if !w.from.Equal(next) || w.to.Before(w.from) || w.to.Sub(w.from) > MaxListWindow || w.to.After(s.end) {
			t.Fatalf("window %d %v–%v does not follow %v within the range", i, w.from, w.to, next)
		}
		if !s.days && !w.to.After(w.from) && r.from.Before(s.end) {
			t.Fatalf("window %d %v–%v is empty in a range that is not", i, w.from, w.to)
		}
		next = w.to
	}
	if s.planned != (len(s.windows) > 0 && next.Equal(end)) {
		t.Fatalf("planned %t, windows end at %v, the range at %v", s.planned, next, end)
	}
	if s.days {
		for i, w := range s.windows {
			if !w.from.Equal(startOfDay(w.from)) || !w.to.Equal(startOfDay(w.to)) {
				t.Fatalf("window %d %v–%v is not of whole days", i, w.from, w.to)
			}
			if w.to.Sub(w.from) > (dayWindow-1)*24*time.Hour+time.Hour {
				t.Fatalf("window %d %v–%v is longer than %d days", i, w.from, w.to, dayWindow)
			}
		}
	}
}

// FuzzSchedule drives a schedule through random events — workers started
// and finished, the loop entering, paging, reading and leaving windows,
// pages read (which start workers), K changing, the context ending, events
// that do not apply — and checks after each one that nothing indexes past
// what exists, windows are started and read oldest first, no window starts
// after the context ended, at most K (plus the loop's own) are paged, and
// in the end that every started window is finished, whether the run was
// cancelled or ran to the end of the range.
func FuzzSchedule(f *testing.F) {
	// span in hours, resume, script: pairs of (event, argument).
	f.Add(uint16(30*24), false, []byte{1, 0x09, 2, 0, 3, 0, 4, 0, 1, 0x09, 5, 0})
	f.Add(uint16(30*24), false, []byte{5, 0, 1, 0x11})                   // cancelled before the first window
	f.Add(uint16(30*24), false, []byte{1, 0x11, 2, 1, 4, 0, 5, 0, 1, 0}) // cancelled between windows
	f.Add(uint16(7*24), false, []byte{1, 0x19, 7, 0x19, 2, 0, 5, 0, 2, 0})
	f.Add(uint16(365*24), true, []byte{1, 0x81, 3, 0, 4, 0, 1, 0x39, 7, 0x39, 2, 3, 2, 1, 4, 0, 6, 2})
	f.Add(uint16(0), false, []byte{1, 0, 3, 0, 4, 0, 1, 0})
	f.Add(uint16(10*24), false, []byte{1, 0x21, 7, 0x08, 1, 0x01, 6, 5, 2, 0, 4, 0})
	// Odd scripts run to the end of the range afterwards.
	f.Add(uint16(30*24), false, []byte{9})
	f.Add(uint16(30*24), false, []byte{1, 0x83, 0, 0x05, 2, 1, 9})
	f.Add(uint16(365*24), true, []byte{1, 0x00, 0, 0x07, 3, 0, 4, 0, 1, 0x07, 9})
	f.Fuzz(func(t *testing.T, hours uint16, resume bool, script []byte) {
		fuzzSchedule(t, hours, resume, script, false)
	})
}

// FuzzScheduleDense is FuzzSchedule for a client that lists again: the
// windows are planned from records per hour (schedule.estimate), here the
// bytes of density, one an hour, 0xff for an hour never listed.
func FuzzScheduleDense(f *testing.F) {
	f.Add(uint16(30*24), []byte{10, 20, 0xff, 200, 0, 0, 3}, []byte{1, 0x09, 2, 0, 3, 0, 4, 0, 1, 0x09, 5, 0})
	f.Add(uint16(7*24), []byte{0xff}, []byte{1, 0x19, 7, 0x19, 2, 0, 5, 0, 2, 0})
	f.Add(uint16(7*24), []byte{250}, []byte{9})
	f.Add(uint16(365*24), []byte{0, 0, 0, 1}, []byte{1, 0x07, 0, 0x07, 3, 0, 4, 0, 1, 0x07, 9})
	f.Fuzz(func(t *testing.T, hours uint16, density, script []byte) {
		if len(density) == 0 {
			density = []byte{0}
		}
		fuzzScheduleWith(t, hours, false, script, func(s *schedule) {
			s.pageSize = 50
			s.estimate = func(from, to time.Time) (float64, bool) {
				var n float64
				for h := unixHour(from); h <= unixHour(to.Add(-time.Nanosecond)); h++ {
					c := density[int(uint64(h)%uint64(len(density)))]
					if c == 0xff {
						return 0, false
					}
					n += float64(c) * hourPart(h, from, to).Hours()
				}
				return n, true
			}
		})
	})
}

// sweepParts stands for the four filters of a return sweep: windows of days
// with four listings each (schedule.days, schedule.parts).
var sweepParts = [4]string{"RU", "UC", "CC", "PR"}

// FuzzScheduleSweep is FuzzSchedule for the windows of a return sweep:
// whole Korea days sharing their edge day, four listings a window, so up to
// K × 4 windows in flight (schedule.slots).
func FuzzScheduleSweep(f *testing.F) {
	f.Add(uint16(30*24), []byte{1, 0x09, 2, 0, 3, 0, 4, 0, 1, 0x09, 5, 0})
	f.Add(uint16(30*24), []byte{5, 0, 1, 0x11})
	f.Add(uint16(7*24), []byte{1, 0x19, 7, 0x19, 2, 0, 5, 0, 2, 0})
	f.Add(uint16(365*24), []byte{1, 0x81, 3, 0, 4, 0, 1, 0x39, 7, 0x39, 2, 3, 2, 1, 4, 0, 6, 2})
	f.Add(uint16(0), []byte{1, 0, 3, 0, 4, 0, 1, 0})
	f.Add(uint16(30*24), []byte{9})
	f.Add(uint16(30*24), []byte{1, 0x83, 0, 0x05, 2, 1, 9})
	f.Add(uint16(365*24), []byte{1, 0x07, 0, 0x07, 3, 0, 4, 0, 1, 0x07, 9})
	f.Fuzz(func(t *testing.T, hours uint16, script []byte) {
		fuzzSchedule(t, hours, false, script, true)
	})
}

// fuzzSchedule runs one script of FuzzSchedule; sweep makes the schedule
// one of a return sweep.
func fuzzSchedule(t *testing.T, hours uint16, resume bool, script []byte, sweep bool) {
	fuzzScheduleWith(t, hours, resume, script, func(s *schedule) {
		if sweep {
			s.days, s.parts, s.resume = true, len(sweepParts), false
		}
	})
}

// fuzzScheduleWith runs one script on a schedule that setup completes.
func fuzzScheduleWith(t *testing.T, hours uint16, resume bool, script []byte, setup func(*schedule)) {
	span := time.Duration(hours%(366*24)) * time.Hour
	r := newScheduleRun(t, span, resume)
	setup(&r.s)
	if len(script) > 400 {
		script = script[:400]
	}
	for n := 0; n+1 < len(script); n += 2 {
		ev, arg := script[n], int(script[n+1])
		k := 1 + arg%8 // K of 1 to 8, as automatic K can be
		cold := arg&0x80 != 0
		switch ev % 8 {
		case 0, 7: // a page read: the loop starts what K calls for
			r.startWorkers(k, cold)
		case 1:
			if r.inside < 0 { // the lister enters only after leaving
				r.enter(k, cold)
			}
		case 2:
			r.finishWorker(arg)
		case 3:
			r.finishLoop()
		case 4:
			r.leave()
		case 5:
			r.s.stop()
			r.stopped = true
		case 6:
			r.stray(arg)
		}
		r.check()
	}
	// An odd script runs to the end of the range, unless it was
	// cancelled; an even one is cancelled where it stands.
	if len(script)%2 == 1 && !r.stopped {
		r.runToTheEnd()
	} else {
		r.cancelAndJoin()
	}
}

// runToTheEnd finishes the listing as the lister does when nothing goes
// wrong, and checks that every window of the range was read, in order.
func (r *scheduleRun) runToTheEnd() {
	for range 100000 {
		if r.inside < 0 {
			if r.enter(2, false) == stepDone {
				break
			}
		}
		r.finishLoop()
		for len(r.running()) > 0 && !r.finished[r.inside] {
			r.finishWorker(0)
		}
		r.leave()
		r.check()
	}
	if r.inside >= 0 || !r.s.planned || len(r.entered) != len(r.s.windows) {
		r.t.Fatalf("the run did not reach the end: in %d, %d of %d windows read", r.inside, len(r.entered), len(r.s.windows))
	}
	for i, w := range r.entered {
		if w != i {
			r.t.Fatalf("windows read in the order %v", r.entered)
		}
	}
	r.cancelAndJoin()
}

// cancelAndJoin ends the context and stops every paging, as the lister's
// deferred cancel and wait do, and checks that nothing is left running and
// nothing more starts or is entered.
func (r *scheduleRun) cancelAndJoin() {
	r.s.stop()
	r.stopped = true
	r.startWorkers(8, false)
	for range r.running() {
		r.finishWorker(0)
	}
	r.finishLoop()
	r.check()
	if r.s.active != 0 {
		r.t.Fatalf("%d windows still counted as paged after every paging stopped", r.s.active)
	}
	for i, st := range r.s.state {
		if st == windowWorking || st == windowLooping {
			r.t.Fatalf("window %d started and never finished", i)
		}
	}
	if r.inside >= 0 {
		r.leave()
	}
	if r.inside < 0 {
		if _, step := r.s.enter(8, false); step != stepStopped {
			r.t.Fatalf("after the context ended the loop was told %d, not to stop", step)
		}
	}
}
