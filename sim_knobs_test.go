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
