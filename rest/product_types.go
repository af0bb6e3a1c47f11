package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/product-types", a.listProductTypesPage)
	})
}

// GET /admin/product-types (AdminGetProductTypesParams, the same as the tags').
func (a *API) listProductTypesPage(w http.ResponseWriter, r *http.Request) {
	f, offset, limit, order, err := valueListQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	types, n, err := a.store.ListProductTypesPage(r.Context(), f, offset, limit, order)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "product_types", types, n, store.Page{Offset: offset, Limit: limit, Find: store.Find{Fields: valueListFields}})
}
