export default async function globalTeardown(): Promise<void> {
  await globalThis.__SHOP_TEST_DATABASE__?.stop();
  globalThis.__SHOP_TEST_DATABASE__ = undefined;
}
