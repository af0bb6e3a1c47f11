package rest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

func TestShippingProfilesCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	def, gc := profileID(t, e, "default"), profileID(t, e, "gift_card")
	defJSON, gcJSON := string(profileJSON(def, "Default Shipping Profile", "default")), string(profileJSON(gc, "Gift Card Profile", "gift_card"))

	res := e.Do("GET", "/admin/shipping-profiles", nil)
	res.Expect(t, 200, `{"shipping_profiles":[`+defJSON+`,`+gcJSON+`]}`)
	res.MatchesSpec(t, "GET", "/admin/shipping-profiles")

	// Medusa 1.3.8 answers every create with a 500 (it stores no type); Gorgon creates a custom
	// profile.
	res = e.Do("POST", "/admin/shipping-profiles", map[string]any{"name": "Bulky"})
	res.Expect(t, 200, `{"shipping_profile":`+string(profileJSON("$id:sp", "Bulky", "custom"))+`}`)
	res.MatchesSpec(t, "POST", "/admin/shipping-profiles")
	id := res.JSON(t)["shipping_profile"].(map[string]any)["id"].(string)

	res = e.Do("GET", "/admin/shipping-profiles/"+id, nil)
	res.Expect(t, 200, `{"shipping_profile":`+strings.TrimSuffix(string(profileJSON(id, "Bulky", "custom")), "}")+`,"products":[],"shipping_options":[]}}`)
	res.MatchesSpec(t, "GET", "/admin/shipping-profiles/"+id)

	// The default profile with its live products and options, by id.
	region := createNordics(t, e)
	p1, p2 := catProduct(t, e, "Shirt"), catProduct(t, e, "Hat")
	o1, o2 := txrOption(t, e, region, "Standard"), txrOption(t, e, region, "Gone")
	e.Do("DELETE", "/admin/shipping-options/"+o2, nil)
	catExec(t, e, `UPDATE product SET deleted_at = now() WHERE id = ?`, p2)
	e.Do("GET", "/admin/shipping-profiles/"+def, nil).Expect(t, 200, `{"shipping_profile":`+strings.TrimSuffix(defJSON, "}")+
		`,"products":[`+catProductJSON(p1, "Shirt", "")+`],"shipping_options":[`+optionRowJSON(o1, "Standard", region)+`]}}`)

	// Update: the profile alone. An empty update changes nothing.
	res = e.Do("POST", "/admin/shipping-profiles/"+id, map[string]any{"name": "Bulky goods"})
	res.Expect(t, 200, `{"shipping_profile":`+string(profileJSON(id, "Bulky goods", "custom"))+`}`)
	res.MatchesSpec(t, "POST", "/admin/shipping-profiles/"+id)
	before := res.JSON(t)["shipping_profile"].(map[string]any)["updated_at"]
	res = e.Do("POST", "/admin/shipping-profiles/"+id, map[string]any{})
	res.Expect(t, 200, `{"shipping_profile":`+string(profileJSON(id, "Bulky goods", "custom"))+`}`)
	if after := res.JSON(t)["shipping_profile"].(map[string]any)["updated_at"]; after != before {
		t.Fatalf("updated_at moved: %v -> %v", before, after)
	}

	// Delete: soft, idempotent; the default and gift card profiles stay.
	res = e.Do("DELETE", "/admin/shipping-profiles/"+id, nil)
	res.Expect(t, 200, `{"id":"`+id+`","object":"shipping_profile","deleted":true}`)
	res.MatchesSpec(t, "DELETE", "/admin/shipping-profiles/"+id)
	e.Do("DELETE", "/admin/shipping-profiles/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"shipping_profile","deleted":true}`)
	e.Do("GET", "/admin/shipping-profiles/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"Profile with id: `+id+` was not found"}`)
	e.Do("POST", "/admin/shipping-profiles/"+id, map[string]any{"name": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"Profile with id: `+id+` was not found"}`)
	e.Do("DELETE", "/admin/shipping-profiles/"+def, nil).
		Expect(t, 400, `{"type":"not_allowed","message":"The default shipping profile cannot be deleted"}`)
	e.Do("DELETE", "/admin/shipping-profiles/"+gc, nil).
		Expect(t, 400, `{"type":"not_allowed","message":"The gift card shipping profile cannot be deleted"}`)
	e.Do("GET", "/admin/shipping-profiles", nil).Expect(t, 200, `{"shipping_profiles":[`+defJSON+`,`+gcJSON+`]}`)
}

// Medusa's list route answers the profile service's default page: 10 profiles.
func TestShippingProfilesListsTen(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	var names []string
	for i := 0; i < 9; i++ {
		names = append(names, fmt.Sprintf("P%d", i))
		e.Do("POST", "/admin/shipping-profiles", map[string]any{"name": names[i]})
	}
	res := e.Do("GET", "/admin/shipping-profiles?limit=50&foo=1", nil)
	var got []string
	for _, p := range res.JSON(t)["shipping_profiles"].([]any) {
		got = append(got, p.(map[string]any)["name"].(string))
	}
	want := append([]string{"Default Shipping Profile", "Gift Card Profile"}, names[:8]...)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestShippingProfilesBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	def := profileID(t, e, "default")
	for _, tc := range []struct {
		body any
		want string
	}{
		{map[string]any{}, "name must be a string"},
		{`{"name":5,"x":1}`, "property x should not exist, name must be a string"},
		{map[string]any{"name": "x", "type": "custom"}, "property type should not exist"},
	} {
		e.Do("POST", "/admin/shipping-profiles", tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
	for _, tc := range []struct {
		body any
		want string
	}{
		{map[string]any{"name": "Default", "products": []string{"x"}}, "property products should not exist"},
		// Medusa stores the null and fails (a 500).
		{map[string]any{"name": nil}, "name must be a string"},
		{map[string]any{"name": 1}, "name must be a string"},
	} {
		e.Do("POST", "/admin/shipping-profiles/"+def, tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
	// Nothing changed.
	e.Do("GET", "/admin/shipping-profiles", nil).Expect(t, 200, `{"shipping_profiles":[`+
		string(profileJSON(def, "Default Shipping Profile", "default"))+`,`+string(profileJSON("$id:sp", "Gift Card Profile", "gift_card"))+`]}`)
}

// Moving products and shipping options between profiles (the store's update, which Medusa's
// service offers and GraphQL uses) is all or nothing.
func TestShippingProfilesMove(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	region := createNordics(t, e)
	def := profileID(t, e, "default")
	p1, p2 := catProduct(t, e, "Shirt"), catProduct(t, e, "Hat")
	o1 := txrOption(t, e, region, "Standard")
	bulky, err := e.Store.CreateShippingProfile(ctx, store.CreateShippingProfileInput{Name: "Bulky"})
	if err != nil {
		t.Fatal(err)
	}
	name := "Bulky goods"
	_, err = e.Store.UpdateShippingProfile(ctx, bulky.ID, store.UpdateShippingProfileInput{Name: &name, Products: []string{p1, "prod_missing"}})
	if err == nil || err.Error() != "not_found: Product with id: prod_missing was not found" {
		t.Fatalf("err %v", err)
	}
	_, err = e.Store.UpdateShippingProfile(ctx, bulky.ID, store.UpdateShippingProfileInput{Products: []string{p1}, ShippingOptions: []string{"so_missing"}})
	if err == nil || err.Error() != "not_found: Shipping Option with so_missing was not found" {
		t.Fatalf("err %v", err)
	}
	if n := countRowsSO(t, e, `SELECT count(*) FROM product WHERE profile_id = ?`, def); n != 2 {
		t.Fatalf("%d products left the default profile", n)
	}
	p, err := e.Store.UpdateShippingProfile(ctx, bulky.ID, store.UpdateShippingProfileInput{Name: &name, Products: []string{p1}, ShippingOptions: []string{o1}})
	if err != nil || p.Name != "Bulky goods" {
		t.Fatalf("move: %v %v", p, err)
	}
	e.Do("GET", "/admin/shipping-profiles/"+bulky.ID, nil).Expect(t, 200, `{"shipping_profile":`+
		strings.TrimSuffix(string(profileJSON(bulky.ID, "Bulky goods", "custom")), "}")+`,"products":[`+
		strings.Replace(catProductJSON(p1, "Shirt", ""), `"profile_id":"$id:sp"`, `"profile_id":"`+bulky.ID+`"`, 1)+
		`],"shipping_options":[`+strings.Replace(optionRowJSON(o1, "Standard", region), `"profile_id":"$id:sp"`, `"profile_id":"`+bulky.ID+`"`, 1)+`]}}`)
	e.Do("GET", "/admin/shipping-profiles/"+def+"?x=1", nil).Expect(t, 200, `{"shipping_profile":`+
		strings.TrimSuffix(string(profileJSON(def, "Default Shipping Profile", "default")), "}")+`,"products":[`+catProductJSON(p2, "Hat", "")+
		`],"shipping_options":[]}}`)
}

func TestShippingProfilesUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	def := profileID(t, e, "default")
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/shipping-profiles"}, {"POST", "/admin/shipping-profiles"}, {"GET", "/admin/shipping-profiles/" + def},
		{"POST", "/admin/shipping-profiles/" + def}, {"DELETE", "/admin/shipping-profiles/" + def},
	} {
		e.DoAnon(r.method, r.path, map[string]any{"name": "x"}).ExpectText(t, 401, "Unauthorized")
	}
	e.Do("GET", "/admin/shipping-profiles/"+def, nil).Expect(t, 200, `{"shipping_profile":`+
		strings.TrimSuffix(string(profileJSON(def, "Default Shipping Profile", "default")), "}")+`,"products":[],"shipping_options":[]}}`)
}
