package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlags returns a flag set for one command whose --help prints synopsis,
// the flags and the environment variables.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s\n\nFlags:\n", strings.TrimSpace(synopsis))
		fs.PrintDefaults()
		fmt.Fprint(w, envHelp)
	}
	return fs
}

// parseFlags parses args with fs. --help prints the usage on stdout; any
// other mistake, extra arguments included, is a *usageError of one line.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return errHelp
		}
		return usageErrorf("%s: %v (see coupang %s --help)", fs.Name(), err, fs.Name())
	}
	if fs.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q (see coupang %s --help)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

// required returns a usage error naming the first flag, in order, whose
// value was not given.
func required(fs *flag.FlagSet, names ...string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, n := range names {
		if !set[n] {
			return usageErrorf("%s: --%s is required (see coupang %s --help)", fs.Name(), n, fs.Name())
		}
	}
	return nil
}

// flagSet reports whether the flag name was given on the command line,
// even with its default value.
func flagSet(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// parseChecked parses args with fs (parseFlags), refuses the first of
// requiredFlags not given, then runs checks in order with the command's
// name and returns the first refusal: all before connecting, so that a
// typo costs no call.
func parseChecked(fs *flag.FlagSet, args []string, stdout io.Writer, requiredFlags []string, checks []func(cmd string) error) error {
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := required(fs, requiredFlags...); err != nil {
		return err
	}
	for _, check := range checks {
		if err := check(fs.Name()); err != nil {
			return err
		}
	}
	return nil
}
