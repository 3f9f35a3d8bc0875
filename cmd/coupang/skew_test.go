package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The Korean clock sentence needs a different particle when the clocks agree:
// "보다 정확합니다" would claim the machine is more accurate than Coupang.
func TestDescribeSkewKo(t *testing.T) {
	tests := []struct {
		skew time.Duration
		want string
	}{
		{3 * time.Minute, "이 컴퓨터의 시계는 쿠팡 서버보다 3m0s 빠릅니다."},
		{-45 * time.Second, "이 컴퓨터의 시계는 쿠팡 서버보다 45s 느립니다."},
		{0, "이 컴퓨터의 시계는 쿠팡 서버와 시각이 맞습니다."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, describeSkewKo(tt.skew), "skew %v", tt.skew)
	}
}
