// Package childproc runs the servers of the benchmarks in a process of
// their own, for every module of the repository: getrusage and the heap
// count a whole process, so a server in the benchmark's own process would
// have its work counted as the client's.
//
// The child speaks a line protocol on its standard streams: it writes one
// line when it is ready (its URL first), then answers each command line
// read from its standard input with one line, "ok …" or anything else for
// an error, and ends when its standard input closes. It is for tests and
// benchmarks only.
package childproc

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// Process is a started child process.
type Process struct {
	// Ready is the child's first line, trimmed.
	Ready string

	mu   sync.Mutex // one command at a time
	in   *bufio.Writer
	out  *bufio.Reader
	once sync.Once
	stop func()
}

// Start runs name with args and the current environment plus env, waits for
// its first line, and stops it (standard input closed, then killed) at tb's
// cleanup; the child's standard error is the test's.
func Start(tb testing.TB, env []string, name string, args ...string) *Process {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	p := &Process{in: bufio.NewWriter(stdin), out: bufio.NewReader(stdout)}
	p.stop = func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	tb.Cleanup(p.Stop)
	line, err := p.out.ReadString('\n')
	if err != nil {
		tb.Fatalf("child process %s %v: %v", name, args, err)
	}
	p.Ready = strings.TrimSpace(line)
	return p
}

// Self starts the running test binary again, running no test, with env:
// the test binary's TestMain sees env and serves instead (see the package
// doc).
func Self(tb testing.TB, env ...string) *Process {
	tb.Helper()
	return Start(tb, env, os.Args[0], "-test.run=^$")
}

// Command sends the child one command and returns its answer after "ok",
// trimmed; any other answer is an error.
func (p *Process) Command(cmd string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.in.WriteString(cmd + "\n"); err != nil {
		return "", err
	}
	if err := p.in.Flush(); err != nil {
		return "", err
	}
	line, err := p.out.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("child process, %s: %w", cmd, err)
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "ok")
	if !ok {
		return "", fmt.Errorf("child process, %s: %s", cmd, strings.TrimSpace(line))
	}
	return strings.TrimSpace(rest), nil
}

// Stop ends the child at once; again is a no-op.
func (p *Process) Stop() { p.once.Do(p.stop) }
