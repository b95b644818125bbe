package store

import (
	"context"
	"fmt"
	"strings"
)

// packDeclarations is the step of migration 0480: it copies every row of
// declarations into declarations_0480, its eighteen columns not queried
// packed into one (declarations_packed.go), each field the text the row's
// digest read from its column, so that the row digests as before. It reads
// a page of rows at a time (a PostgreSQL connection runs one statement at a
// time).
func packDeclarations(ctx context.Context, tx *Tx) error {
	const page = 1000
	kept := []string{"id", "number", "version", "batch_id", "day", "declarant", "permit_id", "flags", "is_current"}
	insert := "INSERT INTO declarations_0480 (" + strings.Join(kept, ", ") + ", packed) VALUES "
	var last int64 = -1 << 62
	var buf []byte
	for {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT * FROM declarations WHERE id > ? ORDER BY id LIMIT %d", page), last)
		if err != nil {
			return err
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return err
		}
		idx := map[string]int{}
		for i, c := range cols {
			idx[strings.ToLower(c)] = i
		}
		for _, c := range append(kept, declPackedFields...) {
			if _, ok := idx[c]; !ok {
				rows.Close()
				return fmt.Errorf("declarations has no column %s", c)
			}
		}
		var args []any
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			for _, c := range kept {
				args = append(args, vals[idx[c]])
			}
			buf = buf[:0]
			for _, c := range declPackedFields {
				s, null := columnText(vals[idx[c]])
				buf = appendPackedNullable(buf, s, !null)
			}
			args = append(args, string(buf))
			if last, err = rowID(vals, idx["id"]); err != nil {
				rows.Close()
				return err
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		row := "(" + placeholders(len(kept)+1) + ")"
		if _, err := tx.ExecContext(ctx, insert+strings.Repeat(row+", ", n-1)+row, args...); err != nil {
			return err
		}
		if n < page {
			return nil
		}
	}
}
