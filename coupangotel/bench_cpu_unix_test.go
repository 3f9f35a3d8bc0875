//go:build unix

package coupangotel_test

import "syscall"

// processCPU returns the CPU time the process has used, user and system, in
// nanoseconds; steal time on a virtual machine is not counted.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
