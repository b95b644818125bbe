//go:build !linux

package plan

import "time"

func threadCPU() time.Duration { return 0 }
