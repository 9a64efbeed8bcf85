import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, reportDatabaseBack, reportDatabaseOutage } from "./outage";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises an unreachable or vanished database, however wrapped", () => {
    for (const error of [
      withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5440"),
      withCode("ECONNRESET"),
      withCode("57P01", "terminating connection due to administrator command"),
      withCode("57P03", "the database system is starting up"),
      withCode("08006"),
      withCode("53300", "sorry, too many clients already"),
      withCode("P1001", "Can't reach database server"),
      Object.assign(new Error("Raw query failed"), {
        code: "P2010",
        meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } },
      }),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      new Error("wrapped", { cause: withCode("ECONNREFUSED") }),
      new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]),
    ])
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it("leaves every other error alone", () => {
    for (const error of [
      withCode("23505", "duplicate key value violates unique constraint"),
      withCode("ZA001", "consent_events is append-only"),
      withCode("P2002"),
      new TypeError("x is undefined"),
      null,
      "ECONNREFUSED",
    ])
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
  });
});

describe("the outage log", () => {
  it("writes one line when an outage starts, a reminder a minute later, one when it ends", () => {
    const lines: string[] = [];
    const log = {
      error: (line: string) => lines.push(`E ${line}`),
      info: (line: string) => lines.push(`I ${line}`),
    };
    const error = withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5440");
    const start = 1_000_000;
    for (let i = 0; i < 500; i++) reportDatabaseOutage("web app", error, { log, at: start + i * 100 });
    reportDatabaseOutage("worker", error, { log, at: start + 61_000 });
    reportDatabaseBack({ log, at: start + 62_000 });
    reportDatabaseBack({ log, at: start + 63_000 });
    expect(lines).toEqual([
      "E [db] the database is unavailable (ECONNREFUSED, noticed by the web app): requests get 503 until it is back; further failures are counted, not logged",
      "E [db] the database is still unavailable after 61 s (501 failures so far)",
      "I [db] the database is back after 62 s (501 failures during the outage)",
    ]);
  });
});
