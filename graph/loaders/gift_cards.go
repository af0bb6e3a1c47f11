package loaders

import "github.com/gorgon-commerce/gorgon/store/model"

// GiftCards registers the gift cards one read returned (with their region, read with them) and
// their regions as two sibling groups, so that the regions' fields load once for the whole read.
func GiftCards(c *Catalog, cards []*model.GiftCard) {
	Siblings(c, cards)
	var regions []*model.Region
	for _, g := range cards {
		if g.Region != nil {
			regions = append(regions, g.Region)
		}
	}
	Siblings(c, unique(regions))
}
