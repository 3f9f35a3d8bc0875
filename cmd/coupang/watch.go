package main

import (
	"context"
	"io"
)

// watchCmd is the place of "coupang exchanges watch", which will print the
// change feed of issue 13 as it happens. The feed does not exist yet, so it
// says so rather than pretending with a polling loop of its own.
func watchCmd(_ context.Context, _ []string, _, _ io.Writer) error {
	return usageErrorf("exchanges watch: not yet available: it needs the SDK's change feed, which is not released yet; meanwhile poll with \"coupang exchanges list\"")
}
