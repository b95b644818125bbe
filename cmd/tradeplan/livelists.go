package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/server"
	"github.com/tradeplan/tradeplan/store"
)

// liveLists keeps a server screening against the sanctions lists as they
// are stored now, whichever process imported them: before a screening it
// reads the stored lists' hashes (one small query) unless it did less than
// the screening's maxAge ago and, when they differ from those it holds,
// loads the lists and swaps in a new screener. Every server on one database
// so uses a list from the first licensing screening after its import
// commits (maxAge 0), and on its public pages within server.PublicListsMaxAge,
// with no restart and no message between servers.
type liveLists struct {
	db   *store.DB
	base screen.Config // the screener's steps without the lists
	log  *slog.Logger

	mu      sync.Mutex // one load at a time
	cur     atomic.Pointer[loadedLists]
	checked atomic.Int64 // when the stamp last matched cur, in Unix nanoseconds
}

type loadedLists struct {
	stamp  string // store.DatasetsStamp of the lists loaded
	engine server.Engine
}

func newLiveLists(db *store.DB, base screen.Config, e *engine, stamp string, log *slog.Logger) *liveLists {
	l := &liveLists{db: db, base: base, log: log}
	l.cur.Store(&loadedLists{stamp: stamp, engine: serverEngine(e)})
	return l
}

func serverEngine(e *engine) server.Engine {
	se := server.Engine{Screener: e.screener}
	if e.parties != nil {
		se.Parties = e.parties // never a typed nil in the interface
	}
	return se
}

// Current returns the engine of the lists stored now. When the database
// cannot be read or a stored list cannot be loaded, it keeps screening
// with the lists it has and logs why.
func (l *liveLists) Current(ctx context.Context, maxAge time.Duration) server.Engine {
	cur := l.cur.Load()
	start := time.Now()
	if maxAge > 0 && start.UnixNano()-l.checked.Load() < int64(maxAge) {
		return cur.engine
	}
	stamp, err := l.db.DatasetStamp(ctx, parties.KindList)
	if err != nil {
		if ctx.Err() == nil {
			l.log.Warn("cannot check the stored sanctions lists; screening with those loaded", "err", err)
		}
		return cur.engine
	}
	if stamp == cur.stamp {
		l.seen(start)
		return cur.engine
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur = l.cur.Load(); cur.stamp == stamp {
		l.seen(start)
		return cur.engine // loaded by the request that held the lock
	}
	ds, err := l.stored(ctx)
	if err != nil {
		l.log.Error("cannot read the stored sanctions lists; screening with those loaded", "err", err)
		return cur.engine
	}
	e, err := withLists(l.base, ds)
	if err != nil {
		l.log.Error("cannot load the stored sanctions lists; screening with those loaded", "err", err)
		return cur.engine
	}
	next := &loadedLists{stamp: store.DatasetsStamp(ds), engine: serverEngine(e)}
	l.cur.Store(next)
	if next.stamp == stamp {
		l.seen(start)
	}
	lists, _ := e.screener.Lists()
	l.log.Info("sanctions lists reloaded", "lists", lists)
	return next.engine
}

// stored reads every stored list with its files.
func (l *liveLists) stored(ctx context.Context) ([]tradeplan.Dataset, error) {
	infos, err := l.db.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	var ds []tradeplan.Dataset
	for _, in := range infos {
		if in.Kind != parties.KindList {
			continue
		}
		d, err := l.db.Dataset(ctx, in.Kind, in.Name)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// seen notes that the lists held were current at t (when the check that
// found so began), unless a later check noted so already.
func (l *liveLists) seen(t time.Time) {
	n := t.UnixNano()
	for {
		old := l.checked.Load()
		if old >= n || l.checked.CompareAndSwap(old, n) {
			return
		}
	}
}
