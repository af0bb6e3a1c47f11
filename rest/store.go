package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/store", a.getStoreSettings)
		r.Post("/store", a.updateStoreSettings)
		r.Post("/store/currencies/{code}", a.addStoreCurrency)
		r.Delete("/store/currencies/{code}", a.removeStoreCurrency)
		r.Get("/store/payment-providers", a.listStorePaymentProviders)
		r.Get("/store/tax-providers", a.listStoreTaxProviders)
	})
}

func writeStore(w http.ResponseWriter, r *http.Request, st *model.Store, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"store": st})
}

// GET /admin/store (Medusa ignores query parameters here).
func (a *API) getStoreSettings(w http.ResponseWriter, r *http.Request) {
	st, err := a.store.GetStoreDetails(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"store": st})
}

// updateStoreRequest is Medusa's AdminPostStoreReq.
type updateStoreRequest struct {
	Name                json.RawMessage `json:"name"`
	SwapLinkTemplate    json.RawMessage `json:"swap_link_template"`
	PaymentLinkTemplate json.RawMessage `json:"payment_link_template"`
	InviteLinkTemplate  json.RawMessage `json:"invite_link_template"`
	DefaultCurrencyCode json.RawMessage `json:"default_currency_code"`
	Currencies          json.RawMessage `json:"currencies"`
	Metadata            json.RawMessage `json:"metadata"`
}

// POST /admin/store. A null link template clears it; a null name or default currency is ignored
// (Medusa tries to store a null name and fails with a 500).
func (a *API) updateStoreSettings(w http.ResponseWriter, r *http.Request) {
	var body updateStoreRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateStoreInput
	in.Name, _ = cvString(&v, "name", body.Name, false)
	in.SwapLinkTemplate = cvNullable(cvString(&v, "swap_link_template", body.SwapLinkTemplate, false))
	in.PaymentLinkTemplate = cvNullable(cvString(&v, "payment_link_template", body.PaymentLinkTemplate, false))
	in.InviteLinkTemplate = cvNullable(cvString(&v, "invite_link_template", body.InviteLinkTemplate, false))
	in.DefaultCurrencyCode, _ = cvString(&v, "default_currency_code", body.DefaultCurrencyCode, false)
	in.Currencies = cvStrings(&v, "currencies", body.Currencies, false)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	st, err := a.store.UpdateStore(r.Context(), in)
	writeStore(w, r, st, err)
}

func (a *API) addStoreCurrency(w http.ResponseWriter, r *http.Request) {
	st, err := a.store.AddStoreCurrency(r.Context(), chi.URLParam(r, "code"))
	writeStore(w, r, st, err)
}

func (a *API) removeStoreCurrency(w http.ResponseWriter, r *http.Request) {
	st, err := a.store.RemoveStoreCurrency(r.Context(), chi.URLParam(r, "code"))
	writeStore(w, r, st, err)
}

func (a *API) listStorePaymentProviders(w http.ResponseWriter, r *http.Request) {
	pps, err := a.store.ListPaymentProviders(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"payment_providers": pps})
}

// GET /admin/store/tax-providers lists the tax_provider rows only: like Medusa 1.3.8, it does not
// add the system provider.
func (a *API) listStoreTaxProviders(w http.ResponseWriter, r *http.Request) {
	tps, err := a.store.ListTaxProviders(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tax_providers": tps})
}
