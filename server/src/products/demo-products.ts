import { Product } from './schemas/product.schema';

/** A small Indian catalogue so a fresh shop has something to sell; prices in paise. */
export const DEMO_PRODUCTS: Partial<Product>[] = [
  [
    'Cotton Kurta',
    'cotton-kurta',
    129900,
    25,
    'Hand-block printed cotton kurta from Jaipur, breathable for every season.',
  ],
  [
    'Assam Masala Chai',
    'masala-chai',
    34900,
    80,
    'Strong Assam tea blended with cardamom, ginger, clove and cinnamon. 250 g.',
  ],
  [
    'Brass Diya',
    'brass-diya',
    59900,
    40,
    'Hand-polished brass oil lamp, a warm light for festivals and every evening.',
  ],
  [
    'Banarasi Silk Saree',
    'silk-saree',
    849900,
    5,
    'Woven silk saree with zari border, made by weavers in Varanasi.',
  ],
  [
    'Leather Journal',
    'leather-journal',
    89900,
    30,
    'Handmade paper journal bound in soft leather, 200 pages.',
  ],
  [
    'Terracotta Planter',
    'clay-planter',
    44900,
    20,
    'Glazed terracotta planter from Khurja with a drainage hole.',
  ],
  [
    'Masala Dabba',
    'spice-box',
    119900,
    15,
    'Stainless steel spice box with seven bowls and a spoon.',
  ],
  [
    'Handloom Stole',
    'handloom-stole',
    74900,
    0,
    'Soft handloom cotton stole in indigo; back in stock soon.',
  ],
].map(([name, slug, price, stock, description]) => ({
  name: name as string,
  description: description as string,
  price: price as number,
  stock: stock as number,
  currency: 'INR',
  imageUrl: `/images/products/${slug as string}.svg`,
  active: true,
}));
