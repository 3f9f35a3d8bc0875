package main

import (
	"context"
	"errors"
	"io"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/connect"
)

// target is where a command sends its requests (shared with the examples).
type target = connect.Target

// connectEnv returns where to send requests, saying which on stderr: the
// account in the COUPANG_* variables, a sandbox kept running on this machine
// (COUPANG_BASE_URL alone at a loopback address) or a fresh in-process
// sandbox started with sandboxOpts. A mistake in the environment is a usage
// error (exit 2).
func connectEnv(stderr io.Writer, sandboxOpts ...coupangtest.Option) (*target, error) {
	t, err := connect.FromEnv(stderr, ` (run "coupang sandbox" for one that keeps its state)`, sandboxOpts...)
	var usage *connect.UsageError
	if errors.As(err, &usage) {
		return nil, &usageError{msg: err.Error(), err: err}
	}
	return t, err
}

// connectFind connects (connectEnv) and finds, with find, the one record a
// write command acts on. The caller closes the target; on an error it is
// closed already.
func connectFind[T any](ctx context.Context, stderr io.Writer, find func(context.Context, *coupang.Client) (T, error)) (*target, T, error) {
	var zero T
	t, err := connectEnv(stderr)
	if err != nil {
		return nil, zero, err
	}
	x, err := find(ctx, t.Client)
	if err != nil {
		t.Close()
		return nil, zero, err
	}
	return t, x, nil
}
