package main

import (
	"io"
	"os"
)

// isTerminal reports whether w is a terminal (a character device), where a
// progress line helps; in a pipe or a file it would only be noise. Only the
// standard library is used so that the command stays in the core module.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
