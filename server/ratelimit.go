package server

import (
	"sync"
	"time"
)

// Rate is a token bucket's shape: Burst attempts at once, refilled at one
// attempt every Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// limiter is a set of in-memory token buckets keyed by a string (an IP
// address or an email). It forgets full buckets so that memory stays bounded
// by the number of keys active within one refill period.
type limiter struct {
	rate  Rate
	clock func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(r Rate, clock func() time.Time) *limiter {
	return &limiter{rate: r, clock: clock, buckets: map[string]*bucket{}}
}

// off reports whether the limiter lets everything through.
func (l *limiter) off() bool { return l.rate.Burst <= 0 || l.rate.Every <= 0 }

// allow takes one token for key. When none is left it returns false and how
// long until one is.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l.off() {
		return true, 0
	}
	now := l.clock()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[key] = b
	}
	b.refill(now, l.rate)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.rate.Every))
	return false, wait
}

func (b *bucket) refill(now time.Time, r Rate) {
	if el := now.Sub(b.at); el > 0 {
		b.tokens += float64(el) / float64(r.Every)
		if b.tokens > float64(r.Burst) {
			b.tokens = float64(r.Burst)
		}
		b.at = now
	}
}

// sweep drops buckets that have refilled completely; at most once a minute.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	full := time.Duration(l.rate.Burst) * l.rate.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}
