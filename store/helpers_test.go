package store_test

import (
	"testing"

	"errors"
	"github.com/tradeplan/tradeplan/store/storetest"
	"slices"

	"github.com/tradeplan/tradeplan"
)

func equal(a, b []int64) bool { return slices.Equal(a, b) }

func asErr(err error, e **tradeplan.Error) bool { return errors.As(err, e) }

func storetestEngines(t *testing.T) []string       { return storetest.Engines(t) }
func storetestDSN(t *testing.T, eng string) string { return storetest.DSN(t, eng) }
