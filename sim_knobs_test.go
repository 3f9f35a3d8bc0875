package coupang

import (
	"os"
	"strconv"
	"time"
)

func init() {
	if v := os.Getenv("SIM_SPLIT_ABOVE"); v != "" {
		splitAbove, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("SIM_SPLIT_RECORDS"); v != "" {
		splitRecords, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("SIM_SLOW_WINDOW"); v != "" {
		slowWindowLen, _ = time.ParseDuration(v)
	}
}

func init() {
	simSplit = os.Getenv("SIM_NOSPLIT") == ""
	simChainFirst = os.Getenv("SIM_GATE") != ""
}

func init() {
	if v := os.Getenv("SIM_SPLIT_MINLEN"); v != "" {
		minSplitLength, _ = time.ParseDuration(v)
	}
}

func init() {
	if v := os.Getenv("SIM_SPLIT_FIXED"); v != "" {
		splitFixed, _ = strconv.Atoi(v)
	}
}

func init() {
	if v := os.Getenv("SIM_SPLIT_MAXLEN"); v != "" {
		maxSplitLength, _ = time.ParseDuration(v)
	}
}
