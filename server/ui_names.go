package server

import "context"

// nameOrgs adds to names the organisations ids that are outside the actor's
// tree: the applicants of plans an authority reviews. Call it only with ids
// of records the licensing service has already shown the actor.
func (u *ui) nameOrgs(ctx context.Context, names map[int64]string, ids ...int64) {
	if u.s.store == nil {
		return
	}
	for _, id := range ids {
		if _, ok := names[id]; ok || id == 0 {
			continue
		}
		if o, err := u.s.store.Org(ctx, id); err == nil {
			names[id] = o.Name
		}
	}
}
