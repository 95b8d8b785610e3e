import { withDatabaseName } from './database-uri';

describe(withDatabaseName.name, () => {
  it('should add the database when the uri has none', () =>
    expect(withDatabaseName('mongodb://127.0.0.1:27017/', 'shop')).toBe(
      'mongodb://127.0.0.1:27017/shop',
    ));

  it('should add the database when the uri has no trailing slash', () =>
    expect(withDatabaseName('mongodb://127.0.0.1:27017', 'shop')).toBe(
      'mongodb://127.0.0.1:27017/shop',
    ));

  it('should replace the database and keep credentials, hosts and options', () =>
    expect(
      withDatabaseName(
        'mongodb://u:p%40ss@a:1,b:2/prod?replicaSet=rs0&authSource=admin',
        'shop_test',
      ),
    ).toBe('mongodb://u:p%40ss@a:1,b:2/shop_test?replicaSet=rs0&authSource=admin'));

  it('should keep the options of an Atlas srv uri', () =>
    expect(
      withDatabaseName('mongodb+srv://u:p@cluster0.x.mongodb.net/?retryWrites=true', 'shop'),
    ).toBe('mongodb+srv://u:p@cluster0.x.mongodb.net/shop?retryWrites=true'));

  it('should reject a string that is not a connection string', () =>
    expect(() => withDatabaseName('localhost:27017', 'shop')).toThrow(
      'Not a MongoDB connection string',
    ));
});
