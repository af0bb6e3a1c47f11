package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/swaps", a.listSwaps)
	})
}

// GET /admin/swaps (AdminGetSwapsParams: limit, offset as integers; Medusa's validator, no
// transformQuery): the swaps' columns, newest first; count is the page's length, as Medusa
// answers it.
func (a *API) listSwaps(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := store.Page{Limit: q.Integer("limit", 50), Offset: q.Integer("offset", 0)}
	p.All = p.Limit == 0
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	swaps, err := a.store.ListSwaps(r.Context(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listBody{key: "swaps", items: swaps, count: len(swaps), offset: p.Offset, limit: p.Limit})
}
