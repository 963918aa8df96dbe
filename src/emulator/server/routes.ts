// The route table: path templates with `{name}` segments, matched segment by segment, literal
// segments without regard to case (as ARM matches them), parameters decoded.

import type { Handler, RouteTable } from "./types.js";

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
  template: string;
}

export class Routes implements RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): void {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(template), handler });
  }

  /**
   * The route for `method` and `path`; `methodAllowed` tells a path that exists under other
   * methods (405) from one that does not exist at all (404).
   */
  match(method: string, path: string): { route?: RouteMatch; methodAllowed: boolean } {
    const segments = splitPath(path);
    let pathKnown = false;

    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) {
        continue;
      }
      pathKnown = true;
      if (route.method === method.toUpperCase()) {
        return {
          route: { handler: route.handler, params, template: `/${route.segments.join("/")}` },
          methodAllowed: true,
        };
      }
    }
    return { methodAllowed: !pathKnown };
  }
}

/** Path segments without empty ones, so `//metadata/endpoints` and `/a/b/` route normally. */
export function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
  if (template.length !== actual.length) {
    return undefined;
  }

  const params: Record<string, string> = {};
  for (let index = 0; index < template.length; index += 1) {
    const expected = template[index] ?? "";
    const segment = actual[index] ?? "";
    const parameter = /^\{(\w+)\}$/.exec(expected);

    if (parameter !== null) {
      let value: string;
      try {
        value = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
      params[parameter[1] ?? ""] = value;
    } else if (expected.toLowerCase() !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
