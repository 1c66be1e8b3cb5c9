"""The API's schemas: one JSON shape per resource (:mod:`.resources`), the rules of each request body
(:mod:`.inputs`) and of query strings (:mod:`.queries`). OpenAPI is generated from them."""
