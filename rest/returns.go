package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/returns", a.listReturns)
	})
}

// returnOut is a return as GET /admin/returns answers it: its swap and order present (null when
// it has none), the order as its entity alone (with `object`).
type returnOut struct {
	*model.Return
	Swap  *model.Swap `json:"swap"`
	Order *orderOut   `json:"order"`
}

// GET /admin/returns (AdminGetReturnsParams: limit, offset; Medusa's validator, no
// transformQuery). count is the page's length, as Medusa answers it.
func (a *API) listReturns(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := store.Page{Limit: q.Int("limit", 50), Offset: q.Int("offset", 0)}
	p.All = p.Limit == 0
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	returns, err := a.store.ListReturns(r.Context(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]returnOut, len(returns))
	for i, ret := range returns {
		out[i] = returnOut{Return: ret, Swap: ret.Swap, Order: orderBody(ret.Order)}
	}
	writeJSON(w, http.StatusOK, listBody{key: "returns", items: out, count: len(out), offset: p.Offset, limit: p.Limit})
}
