package main

import (
	"context"
	"strconv"

	"github.com/tradeplan/tradeplan/store"
)

// orgNamer names organisations in the command line's tables: "Name (id)",
// so a reader sees who, and the id to pass back to a command. An id the
// database does not know is printed alone.
func orgNamer(ctx context.Context, db *store.DB) func(id int64) string {
	names := map[int64]string{}
	return func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := strconv.FormatInt(id, 10)
		if o, err := db.Org(ctx, id); err == nil && o.Name != "" {
			n = o.Name + " (" + n + ")"
		}
		names[id] = n
		return n
	}
}
