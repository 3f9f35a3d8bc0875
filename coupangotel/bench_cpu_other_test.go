//go:build !unix

package coupangotel_test

// processCPU is not measured on this platform; the CPU metrics read 0.
func processCPU() int64 { return 0 }
