package hs

import (
	"time"

	"github.com/tradeplan/tradeplan"
)

var fixedTime = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

type candidateT = tradeplan.Candidate
