package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// command is the signature of every command and subcommand: args after its
// name, output on stdout, messages on stderr.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// subcommand is one subcommand of a group: its names (the first is the one
// the group lists, the others are short forms) and what runs it.
type subcommand struct {
	names []string
	run   command
}

// group is a command made of subcommands, such as "coupang exchanges" and
// "coupang returns": one dispatcher, so that every group answers a missing,
// unknown or help subcommand alike.
type group struct {
	name string
	// subs are listed in this order when the subcommand is missing.
	subs []subcommand
}

// run runs the subcommand args[0] with the rest of args.
func (g group) run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		names := make([]string, len(g.subs))
		for i, s := range g.subs {
			names[i] = s.names[0]
		}
		return usageErrorf("%s: want a subcommand: %s (see coupang help)", g.name, strings.Join(names, ", "))
	}
	sub, rest := args[0], args[1:]
	for _, s := range g.subs {
		if slices.Contains(s.names, sub) {
			return s.run(ctx, rest, stdout, stderr)
		}
	}
	switch sub {
	case "help", "-h", "-help", "--help":
		_, err := fmt.Fprint(stdout, usage)
		return err
	}
	return usageErrorf("%s: unknown subcommand %q (see coupang help)", g.name, sub)
}
