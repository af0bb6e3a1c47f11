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
		r.Get("/regions", a.listRegions)
		r.Post("/regions", a.createRegion)
		r.Get("/regions/{id}", a.getRegion)
		r.Post("/regions/{id}", a.updateRegion)
		r.Delete("/regions/{id}", a.deleteRegion)
		r.Get("/regions/{id}/fulfillment-options", a.regionFulfillmentOptions)
		r.Post("/regions/{id}/countries", a.addRegionCountry)
		r.Delete("/regions/{id}/countries/{code}", a.removeRegionCountry)
		r.Post("/regions/{id}/payment-providers", a.addRegionPaymentProvider)
		r.Delete("/regions/{id}/payment-providers/{provider}", a.removeRegionPaymentProvider)
		r.Post("/regions/{id}/fulfillment-providers", a.addRegionFulfillmentProvider)
		r.Delete("/regions/{id}/fulfillment-providers/{provider}", a.removeRegionFulfillmentProvider)
	})
}

func writeRegion(w http.ResponseWriter, r *http.Request, region *model.Region, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"region": region})
}

// GET /admin/regions: Medusa's AdminGetRegionsParams are limit, offset and the three date
// ranges only (no expand, fields, order or q).
func (a *API) listRegions(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := store.Page{Limit: cvQueryInt(q, "limit", 50), Offset: cvQueryInt(q, "offset", 0)}
	f := store.RegionFilter{
		CreatedAt: cvQueryDateRange(q, "created_at"),
		UpdatedAt: cvQueryDateRange(q, "updated_at"),
		DeletedAt: cvQueryDateRange(q, "deleted_at"),
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	regions, _, err := a.store.ListRegions(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// Medusa's count is the number of regions on the page, not the total; Gorgon keeps that.
	writeList(w, "regions", regions, len(regions), p)
}

// GET /admin/regions/:id takes no query parameters in Medusa (they are ignored).
func (a *API) getRegion(w http.ResponseWriter, r *http.Request) {
	region, err := a.store.GetRegion(r.Context(), chi.URLParam(r, "id"))
	writeRegion(w, r, region, err)
}

// createRegionRequest is Medusa's AdminPostRegionsReq.
type createRegionRequest struct {
	Name                 json.RawMessage `json:"name"`
	CurrencyCode         json.RawMessage `json:"currency_code"`
	TaxCode              json.RawMessage `json:"tax_code"`
	TaxRate              json.RawMessage `json:"tax_rate"`
	PaymentProviders     json.RawMessage `json:"payment_providers"`
	FulfillmentProviders json.RawMessage `json:"fulfillment_providers"`
	Countries            json.RawMessage `json:"countries"`
	Metadata             json.RawMessage `json:"metadata"`
}

func (a *API) createRegion(w http.ResponseWriter, r *http.Request) {
	var body createRegionRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name, _ := cvString(&v, "name", body.Name, true)
	currency, _ := cvString(&v, "currency_code", body.CurrencyCode, true)
	taxCode, _ := cvString(&v, "tax_code", body.TaxCode, false)
	taxRate := cvReal(&v, "tax_rate", body.TaxRate, true)
	in := store.CreateRegionInput{
		PaymentProviders:     cvStrings(&v, "payment_providers", body.PaymentProviders, true),
		FulfillmentProviders: cvStrings(&v, "fulfillment_providers", body.FulfillmentProviders, true),
		Countries:            cvStrings(&v, "countries", body.Countries, true),
		Metadata:             cvObject(&v, "metadata", body.Metadata),
		TaxCode:              taxCode,
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	in.Name, in.CurrencyCode, in.TaxRate = *name, *currency, *taxRate
	region, err := a.store.CreateRegion(r.Context(), in)
	writeRegion(w, r, region, err)
}

// updateRegionRequest is Medusa's AdminPostRegionsRegionReq.
type updateRegionRequest struct {
	Name                 json.RawMessage `json:"name"`
	CurrencyCode         json.RawMessage `json:"currency_code"`
	TaxCode              json.RawMessage `json:"tax_code"`
	TaxRate              json.RawMessage `json:"tax_rate"`
	GiftCardsTaxable     json.RawMessage `json:"gift_cards_taxable"`
	AutomaticTaxes       json.RawMessage `json:"automatic_taxes"`
	TaxProviderID        json.RawMessage `json:"tax_provider_id"`
	PaymentProviders     json.RawMessage `json:"payment_providers"`
	FulfillmentProviders json.RawMessage `json:"fulfillment_providers"`
	Countries            json.RawMessage `json:"countries"`
	Metadata             json.RawMessage `json:"metadata"`
}

// cvNullable turns cvString's answer into the store's nullable update: nil leaves the column,
// a pointer to nil clears it.
func cvNullable(s *string, null bool) **string {
	switch {
	case s != nil:
		return &s
	case null:
		var none *string
		return &none
	}
	return nil
}

// POST /admin/regions/:id. A null for a non-nullable column leaves it as it is (Medusa tries to
// store the null and fails with a 500).
func (a *API) updateRegion(w http.ResponseWriter, r *http.Request) {
	var body updateRegionRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateRegionInput
	in.Name, _ = cvString(&v, "name", body.Name, false)
	in.CurrencyCode, _ = cvString(&v, "currency_code", body.CurrencyCode, false)
	in.TaxCode = cvNullable(cvString(&v, "tax_code", body.TaxCode, false))
	in.TaxRate = cvReal(&v, "tax_rate", body.TaxRate, false)
	in.GiftCardsTaxable = cvBool(&v, "gift_cards_taxable", body.GiftCardsTaxable)
	in.AutomaticTaxes = cvBool(&v, "automatic_taxes", body.AutomaticTaxes)
	in.TaxProviderID = cvNullable(cvString(&v, "tax_provider_id", body.TaxProviderID, false))
	in.PaymentProviders = cvStrings(&v, "payment_providers", body.PaymentProviders, false)
	in.FulfillmentProviders = cvStrings(&v, "fulfillment_providers", body.FulfillmentProviders, false)
	in.Countries = cvStrings(&v, "countries", body.Countries, false)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	region, err := a.store.UpdateRegion(r.Context(), chi.URLParam(r, "id"), in)
	writeRegion(w, r, region, err)
}

func (a *API) deleteRegion(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteRegion(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "region", Deleted: true})
}

func (a *API) regionFulfillmentOptions(w http.ResponseWriter, r *http.Request) {
	opts, err := a.store.RegionFulfillmentOptions(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"fulfillment_options": opts})
}

// regionCountryRequest is Medusa's AdminPostRegionsRegionCountriesReq.
type regionCountryRequest struct {
	CountryCode json.RawMessage `json:"country_code"`
}

func (a *API) addRegionCountry(w http.ResponseWriter, r *http.Request) {
	var body regionCountryRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	code, _ := cvString(&v, "country_code", body.CountryCode, true)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	region, err := a.store.AddRegionCountry(r.Context(), chi.URLParam(r, "id"), *code)
	writeRegion(w, r, region, err)
}

func (a *API) removeRegionCountry(w http.ResponseWriter, r *http.Request) {
	region, err := a.store.RemoveRegionCountry(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "code"))
	writeRegion(w, r, region, err)
}

// regionProviderRequest is Medusa's AdminPostRegionsRegion{Payment,Fulfillment}ProvidersReq.
type regionProviderRequest struct {
	ProviderID json.RawMessage `json:"provider_id"`
}

// decodeProviderID reads {"provider_id": "…"}; ok is false when an error was written.
func decodeProviderID(w http.ResponseWriter, r *http.Request) (string, bool) {
	var body regionProviderRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return "", false
	}
	id, _ := cvString(&v, "provider_id", body.ProviderID, true)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return "", false
	}
	return *id, true
}

func (a *API) addRegionPaymentProvider(w http.ResponseWriter, r *http.Request) {
	if pid, ok := decodeProviderID(w, r); ok {
		region, err := a.store.AddRegionPaymentProvider(r.Context(), chi.URLParam(r, "id"), pid)
		writeRegion(w, r, region, err)
	}
}

func (a *API) removeRegionPaymentProvider(w http.ResponseWriter, r *http.Request) {
	region, err := a.store.RemoveRegionPaymentProvider(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "provider"))
	writeRegion(w, r, region, err)
}

func (a *API) addRegionFulfillmentProvider(w http.ResponseWriter, r *http.Request) {
	if pid, ok := decodeProviderID(w, r); ok {
		region, err := a.store.AddRegionFulfillmentProvider(r.Context(), chi.URLParam(r, "id"), pid)
		writeRegion(w, r, region, err)
	}
}

func (a *API) removeRegionFulfillmentProvider(w http.ResponseWriter, r *http.Request) {
	region, err := a.store.RemoveRegionFulfillmentProvider(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "provider"))
	writeRegion(w, r, region, err)
}
