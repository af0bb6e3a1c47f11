package model

import "github.com/uptrace/bun"

// Product is a catalogue product with its options, variants, images, tags and channels.
type Product struct {
	bun.BaseModel `bun:"table:product,alias:product"`

	ID            string         `bun:"id,pk" json:"id"`
	Title         string         `bun:"title,notnull" json:"title"`
	Subtitle      *string        `bun:"subtitle" json:"subtitle"`
	Description   *string        `bun:"description" json:"description"`
	Handle        *string        `bun:"handle" json:"handle"`
	IsGiftcard    bool           `bun:"is_giftcard,notnull" json:"is_giftcard"`
	Status        string         `bun:"status,nullzero,notnull,default:'draft'" json:"status"`
	Thumbnail     *string        `bun:"thumbnail" json:"thumbnail"`
	ProfileID     string         `bun:"profile_id,notnull" json:"profile_id"`
	Weight        *int           `bun:"weight" json:"weight"`
	Length        *int           `bun:"length" json:"length"`
	Height        *int           `bun:"height" json:"height"`
	Width         *int           `bun:"width" json:"width"`
	HSCode        *string        `bun:"hs_code" json:"hs_code"`
	OriginCountry *string        `bun:"origin_country" json:"origin_country"`
	MIDCode       *string        `bun:"mid_code" json:"mid_code"`
	Material      *string        `bun:"material" json:"material"`
	CollectionID  *string        `bun:"collection_id" json:"collection_id"`
	TypeID        *string        `bun:"type_id" json:"type_id"`
	Discountable  bool           `bun:"discountable,notnull" json:"discountable"`
	ExternalID    *string        `bun:"external_id" json:"external_id"`
	CreatedAt     Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt     Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt     *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata      map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
	// FullCount is the number of products a list matched (a subquery beside the page), so that
	// a page and its count cost one statement; not a column.
	FullCount int64 `bun:"gorgon_full_count,scanonly" json:"-"`
	// Snapshot is the PostgreSQL snapshot that FullCount was read in (store/count_cache.go).
	Snapshot string `bun:"gorgon_snapshot,scanonly" json:"-"`

	Images        []*Image           `bun:"m2m:product_images,join:Product=Image" json:"images,omitzero"`
	Options       []*ProductOption   `bun:"rel:has-many,join:id=product_id" json:"options,omitzero"`
	Variants      []*ProductVariant  `bun:"rel:has-many,join:id=product_id" json:"variants,omitzero"`
	Profile       *ShippingProfile   `bun:"rel:belongs-to,join:profile_id=id" json:"profile,omitzero"`
	Collection    *ProductCollection `bun:"rel:belongs-to,join:collection_id=id" json:"collection,omitzero"`
	Type          *ProductType       `bun:"rel:belongs-to,join:type_id=id" json:"type,omitzero"`
	Tags          []*ProductTag      `bun:"m2m:product_tags,join:Product=ProductTag" json:"tags,omitzero"`
	SalesChannels []*SalesChannel    `bun:"m2m:product_sales_channel,join:Product=SalesChannel" json:"sales_channels,omitzero"`
}

// ProductImage links a product to one of its images (join table product_images).
type ProductImage struct {
	bun.BaseModel `bun:"table:product_images,alias:product_images"`

	ProductID string `bun:"product_id,pk" json:"product_id"`
	ImageID   string `bun:"image_id,pk" json:"image_id"`

	Product *Product `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
	Image   *Image   `bun:"rel:belongs-to,join:image_id=id" json:"image,omitzero"`
}

// ProductProductTag links a product to a product tag (join table product_tags).
type ProductProductTag struct {
	bun.BaseModel `bun:"table:product_tags,alias:product_tags"`

	ProductID    string `bun:"product_id,pk" json:"product_id"`
	ProductTagID string `bun:"product_tag_id,pk" json:"product_tag_id"`

	Product    *Product    `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
	ProductTag *ProductTag `bun:"rel:belongs-to,join:product_tag_id=id" json:"product_tag,omitzero"`
}

// Image is an uploaded image URL, used by products.
type Image struct {
	bun.BaseModel `bun:"table:image,alias:image"`

	ID        string         `bun:"id,pk" json:"id"`
	URL       string         `bun:"url,notnull" json:"url"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
}

// ProductTag is a free-form tag value products are labelled with.
type ProductTag struct {
	bun.BaseModel `bun:"table:product_tag,alias:product_tag"`

	ID        string         `bun:"id,pk" json:"id"`
	Value     string         `bun:"value,notnull" json:"value"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
}

// ProductType is a product's type (one per product), e.g. "Shirt".
type ProductType struct {
	bun.BaseModel `bun:"table:product_type,alias:product_type"`

	ID        string         `bun:"id,pk" json:"id"`
	Value     string         `bun:"value,notnull" json:"value"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
}

// ProductCollection groups products under a title and handle.
type ProductCollection struct {
	bun.BaseModel `bun:"table:product_collection,alias:product_collection"`

	ID        string         `bun:"id,pk" json:"id"`
	Title     string         `bun:"title,notnull" json:"title"`
	Handle    *string        `bun:"handle" json:"handle"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Products []*Product `bun:"rel:has-many,join:id=collection_id" json:"products,omitzero"`
}

// ProductOption is an option axis of a product (e.g. "Size"); variants pick one value per option.
type ProductOption struct {
	bun.BaseModel `bun:"table:product_option,alias:product_option"`

	ID        string         `bun:"id,pk" json:"id"`
	Title     string         `bun:"title,notnull" json:"title"`
	ProductID *string        `bun:"product_id" json:"product_id"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Values  []*ProductOptionValue `bun:"rel:has-many,join:id=option_id" json:"values,omitzero"`
	Product *Product              `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
}

// ProductOptionValue is a variant's value for one product option (e.g. "XL").
type ProductOptionValue struct {
	bun.BaseModel `bun:"table:product_option_value,alias:product_option_value"`

	ID        string         `bun:"id,pk" json:"id"`
	Value     string         `bun:"value,notnull" json:"value"`
	OptionID  string         `bun:"option_id,notnull" json:"option_id"`
	VariantID string         `bun:"variant_id,notnull" json:"variant_id"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Option  *ProductOption  `bun:"rel:belongs-to,join:option_id=id" json:"option,omitzero"`
	Variant *ProductVariant `bun:"rel:belongs-to,join:variant_id=id" json:"variant,omitzero"`
}

// ProductVariant is a purchasable variant of a product: stock, identifiers, dimensions, prices.
// VariantRank is selected by Medusa only for ordering (select: false), never serialised.
type ProductVariant struct {
	bun.BaseModel `bun:"table:product_variant,alias:product_variant"`

	ID                string         `bun:"id,pk" json:"id"`
	Title             string         `bun:"title,notnull" json:"title"`
	ProductID         string         `bun:"product_id,notnull" json:"product_id"`
	SKU               *string        `bun:"sku" json:"sku"`
	Barcode           *string        `bun:"barcode" json:"barcode"`
	EAN               *string        `bun:"ean" json:"ean"`
	UPC               *string        `bun:"upc" json:"upc"`
	VariantRank       *int           `bun:"variant_rank" json:"-"`
	InventoryQuantity int            `bun:"inventory_quantity,notnull" json:"inventory_quantity"`
	AllowBackorder    bool           `bun:"allow_backorder,notnull" json:"allow_backorder"`
	ManageInventory   bool           `bun:"manage_inventory,notnull" json:"manage_inventory"`
	HSCode            *string        `bun:"hs_code" json:"hs_code"`
	OriginCountry     *string        `bun:"origin_country" json:"origin_country"`
	MIDCode           *string        `bun:"mid_code" json:"mid_code"`
	Material          *string        `bun:"material" json:"material"`
	Weight            *int           `bun:"weight" json:"weight"`
	Length            *int           `bun:"length" json:"length"`
	Height            *int           `bun:"height" json:"height"`
	Width             *int           `bun:"width" json:"width"`
	CreatedAt         Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt         Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt         *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata          map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Product *Product              `bun:"rel:belongs-to,join:product_id=id" json:"product,omitzero"`
	Prices  []*MoneyAmount        `bun:"rel:has-many,join:id=variant_id" json:"prices,omitzero"`
	Options []*ProductOptionValue `bun:"rel:has-many,join:id=variant_id" json:"options,omitzero"`
}

// MoneyAmount is a price of a variant in a currency (or region), optionally within a price list
// and a quantity range. Amount is in minor units.
type MoneyAmount struct {
	bun.BaseModel `bun:"table:money_amount,alias:money_amount"`

	ID           string  `bun:"id,pk" json:"id"`
	CurrencyCode string  `bun:"currency_code,notnull" json:"currency_code"`
	Amount       int     `bun:"amount,notnull" json:"amount"`
	MinQuantity  *int    `bun:"min_quantity" json:"min_quantity"`
	MaxQuantity  *int    `bun:"max_quantity" json:"max_quantity"`
	PriceListID  *string `bun:"price_list_id" json:"price_list_id"`
	VariantID    *string `bun:"variant_id" json:"variant_id"`
	RegionID     *string `bun:"region_id" json:"region_id"`
	CreatedAt    Time    `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt    Time    `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt    *Time   `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`

	Currency  *Currency       `bun:"rel:belongs-to,join:currency_code=code" json:"currency,omitzero"`
	PriceList *PriceList      `bun:"rel:belongs-to,join:price_list_id=id" json:"price_list,omitzero"`
	Variant   *ProductVariant `bun:"rel:belongs-to,join:variant_id=id" json:"variant,omitzero"`
	Region    *Region         `bun:"rel:belongs-to,join:region_id=id" json:"region,omitzero"`
}
