// The projection as a pure function of one subject's events (in seq order):
// what consent_subjects and consent_states must hold. append.ts maintains the
// same rules in SQL; the verifier rebuilds with this and compares.

export interface ProjectedEvent {
  id: string;
  seq: number;
  hash: string;
  action: string;
  versionId: string;
  versionNumber: number;
  purposeKey: string | null;
  noticeSha256: string;
  method: string;
  recordedAt: Date;
}

export interface ProjectedState {
  granted: boolean;
  versionNumber: number;
  noticeSha256: string;
  method: string;
  eventId: string;
  updatedAt: Date;
}

export interface SubjectProjection {
  seq: number;
  headHash: string;
  acceptedVersionId: string | null;
  acceptedVersionNumber: number | null;
  acceptedAt: Date | null;
  acknowledgedVersionNumber: number | null;
  states: Map<string, ProjectedState>;
}

export function emptyProjection(genesisHash: string): SubjectProjection {
  return {
    seq: 0,
    headHash: genesisHash,
    acceptedVersionId: null,
    acceptedVersionNumber: null,
    acceptedAt: null,
    acknowledgedVersionNumber: null,
    states: new Map(),
  };
}

/** Applies one event (mutates and returns the projection). */
export function applyEvent(projection: SubjectProjection, event: ProjectedEvent): SubjectProjection {
  projection.seq = event.seq;
  projection.headHash = event.hash;
  if (event.action === "AGREEMENT_ACCEPTED") {
    projection.acceptedVersionId = event.versionId;
    projection.acceptedVersionNumber = event.versionNumber;
    projection.acceptedAt = event.recordedAt;
  } else if (event.action === "NOTICE_ACKNOWLEDGED") {
    projection.acknowledgedVersionNumber = Math.max(
      projection.acknowledgedVersionNumber ?? 0,
      event.versionNumber,
    );
  } else if (
    (event.action === "PURPOSE_GRANTED" || event.action === "PURPOSE_WITHDRAWN") &&
    event.purposeKey
  ) {
    projection.states.set(event.purposeKey, {
      granted: event.action === "PURPOSE_GRANTED",
      versionNumber: event.versionNumber,
      noticeSha256: event.noticeSha256,
      method: event.method,
      eventId: event.id,
      updatedAt: event.recordedAt,
    });
  }
  return projection;
}
