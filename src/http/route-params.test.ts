import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "./context.ts";
import { AppError, badRequest, errorBody } from "./errors.ts";
import { idParams, packageParam, textParams } from "./route-params.ts";

function appWithParamRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/things/:id/parts/:partId", idParams("id", "partId"), (c) => c.json(c.req.valid("param")));
  app.get("/packages/:vendor/:name", packageParam(), (c) => c.json(c.req.valid("param")));
  app.get("/strict/:vendor/:name", packageParam((name) => badRequest(`bad ${name}`, "invalid_name")), (c) => c.json(c.req.valid("param")));
  app.get("/hosts/:host", textParams("host"), (c) => c.json(c.req.valid("param")));
  app.onError((error, c) => (error instanceof AppError ? c.json(errorBody(error), error.status) : c.text(String(error), 500)));
  return app;
}

async function answer(path: string) {
  const response = await appWithParamRoutes().request(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("idParams", () => {
  it("gives the handler positive safe integers", async () => {
    expect(await answer("/things/7/parts/12")).toEqual({ status: 200, body: { id: 7, partId: 12 } });
  });

  it("answers 400 \"Invalid id.\" for zero, negatives, fractions, words and unsafe integers", async () => {
    for (const [id, part] of [["0", "1"], ["-3", "1"], ["1.5", "1"], ["abc", "1"], ["1", "9007199254740993"], ["1", "1e3x"]]) {
      const { status, body } = await answer(`/things/${id}/parts/${part}`);
      expect(status, `${id}/${part}`).toBe(400);
      expect(body.error).toMatchObject({ code: "bad_request", message: "Invalid id." });
    }
  });
});

describe("packageParam", () => {
  it("joins vendor and name into one checked package name", async () => {
    expect(await answer("/packages/acme/widget")).toEqual({ status: 200, body: { packageName: "acme/widget" } });
  });

  it("answers an invalid or over-long name as an unknown package (404)", async () => {
    for (const path of ["/packages/Acme/widget", "/packages/acme/wid..get", "/packages/acme/wid%20get", `/packages/acme/${"a".repeat(251)}`]) {
      const { status, body } = await answer(path);
      expect(status, path).toBe(404);
      expect(String((body.error as { message: string }).message), path).toMatch(/^Package ".*" was not found in this repository/);
    }
  });

  it("accepts exactly 255 characters", async () => {
    const name = "a".repeat(255 - "acme/".length);
    expect((await answer(`/packages/acme/${name}`)).status).toBe(200);
  });

  it("gives the route's own error when it names one", async () => {
    const { status, body } = await answer("/strict/acme/Widget");
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "invalid_name", message: "bad acme/Widget" });
  });
});

describe("textParams", () => {
  it("passes the once-decoded text on unchanged", async () => {
    expect(await answer("/hosts/Hooks.Internal%3A8080")).toEqual({ status: 200, body: { host: "Hooks.Internal:8080" } });
    expect(await answer("/hosts/100%2525")).toEqual({ status: 200, body: { host: "100%25" } });
  });
});
