// The wire types of the API, taken from the backend's zod contracts (types only; nothing of zod is bundled).
export type {
  CompanyDto,
  DepartmentDto,
  PersonDto,
  PersonnelCategory,
  PeopleImportReport,
  CreateCompanyInput,
  UpdateCompanyInput,
  CreatePersonInput,
  UpdatePersonInput,
} from '../../../../src/modules/org/org.contract.ts';
export type {
  SessionDto,
  UserDto,
  GrantDto,
  ApiTokenDto,
  CreateUserInput,
  UpdateUserInput,
} from '../../../../src/modules/identity/identity.contract.ts';
export type { AuditEntryDto } from '../../../../src/modules/audit-trail/audit-trail.contract.ts';
export type {
  FrameworkDto,
  RequirementDto,
  MappingDto,
  MappingImportReport,
} from '../../../../src/modules/frameworks/frameworks.contract.ts';
export type {
  AdoptionDto,
  SoaEntryDto,
  AppliedControlDto,
  EvidenceDto,
  CertificationDto,
  CertificationAuditDto,
  DashboardDto,
} from '../../../../src/modules/compliance/compliance.contract.ts';
import type { ApiTokenDto, UserDto } from '../../../../src/modules/identity/identity.contract.ts';
import type { PersonnelCategory } from '../../../../src/modules/org/org.contract.ts';
import type {
  AppliedControlDto,
  CertificationAuditDto,
  CertificationDto,
  EvidenceDto,
  SoaEntryDto,
} from '../../../../src/modules/compliance/compliance.contract.ts';
import type { z } from 'zod';

export type Role = UserDto['grants'][number]['role'];
export type TokenScope = ApiTokenDto['scopes'][number];

/** The actions of the permission table; SessionDto.permissions lists those the user holds somewhere. */
export type Action =
  | 'company.read'
  | 'company.create'
  | 'company.update'
  | 'company.set_ciso'
  | 'department.read'
  | 'department.write'
  | 'person.read'
  | 'person.write'
  | 'user.read'
  | 'user.manage'
  | 'audit.read'
  | 'audit.verify'
  | 'framework.read'
  | 'framework.manage'
  | 'compliance.read'
  | 'compliance.write'
  | 'certification.write'
  | 'asset.read'
  | 'asset.write'
  | 'risk.read'
  | 'risk.write'
  | 'risk.accept'
  | 'email.read'
  | 'email.write'
  | 'email.manage'
  | 'notification.manage'
  | 'self.read'
  | 'self.write';

// Value lists mirrored from the contracts: importing the values would pull zod into the bundle.
export const PERSONNEL_CATEGORIES = [
  'director_officer',
  'regular_employee',
  'contract_employee',
  'temporary_staff',
  'partner_staff',
  'outsourced_worker',
  'part_time_employee',
] as const;

export const COMPANY_STATUSES = ['active', 'inactive', 'closed'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export const ROLES = [
  'group_admin',
  'group_ciso',
  'company_ciso',
  'security_officer',
  'auditor',
  'security_champion',
  'employee',
] as const;

/** Roles the backend grants group-wide only. */
export const GROUP_ONLY_ROLES: readonly (typeof ROLES)[number][] = ['group_admin', 'group_ciso'];

export const TOKEN_SCOPES = [
  'org:read',
  'org:write',
  'identity:read',
  'identity:write',
  'audit:read',
  'compliance:read',
  'compliance:write',
  'assets:read',
  'assets:write',
  'risks:read',
  'risks:write',
  'email:read',
  'email:write',
] as const;

export interface VerifyResultDto {
  ok: boolean;
  entries: number;
  brokenSeq: number | null;
  brokenId: string | null;
  reason: string | null;
}

// Compliance: request bodies as the client may send them (defaults optional), and the shapes the contract
// names only as schemas.
type Compliance = typeof import('../../../../src/modules/compliance/compliance.contract.ts');
export type ScoreDto = z.infer<Compliance['ScoreSchema']>;
export type SoaDto = z.infer<Compliance['SoaSchema']>;
export type ScoreHistoryPointDto = z.infer<Compliance['ScoreHistorySchema']>['items'][number];
export type ExpiringEvidenceDto = z.infer<Compliance['ExpiringEvidenceSchema']>['items'][number];
export type AdoptInput = z.input<Compliance['AdoptSchema']>;
export type UpdateSoaEntryInput = z.input<Compliance['UpdateSoaEntrySchema']>;
export type CreateAppliedControlInput = z.input<Compliance['CreateAppliedControlSchema']>;
export type UpdateAppliedControlInput = z.input<Compliance['UpdateAppliedControlSchema']>;
export type CreateEvidenceInput = z.input<Compliance['CreateEvidenceSchema']>;
export type UpdateEvidenceInput = z.input<Compliance['UpdateEvidenceSchema']>;
export type CreateCertificationInput = z.input<Compliance['CreateCertificationSchema']>;
export type UpdateCertificationInput = z.input<Compliance['UpdateCertificationSchema']>;
export type CreateCertificationAuditInput = z.input<Compliance['CreateCertificationAuditSchema']>;
export type UpdateCertificationAuditInput = z.input<Compliance['UpdateCertificationAuditSchema']>;
export type AppliedControlDetailDto = AppliedControlDto & { evidence: EvidenceDto[] };

export const IMPLEMENTATION_STATUSES = [
  'not_started',
  'planned',
  'partial',
  'implemented',
  'not_applicable',
] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];
/** What the score sees: the status, or why an implemented requirement does not count yet. */
export const EFFECTIVE_STATUSES = [...IMPLEMENTATION_STATUSES, 'evidence_expired', 'no_evidence'] as const;
export type EffectiveStatus = (typeof EFFECTIVE_STATUSES)[number];
export const APPLIED_CONTROL_STATUSES = ['draft', 'active', 'retired'] as const;
export type AppliedControlStatus = (typeof APPLIED_CONTROL_STATUSES)[number];
export const EVIDENCE_STATES = ['valid', 'expired', 'not_yet_valid'] as const;
export type EvidenceState = (typeof EVIDENCE_STATES)[number];
export const CERTIFICATION_STATUSES = ['planned', 'active', 'suspended', 'withdrawn', 'expired'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];
export const AUDIT_KINDS = ['initial', 'surveillance', 'recertification'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
export const AUDIT_OUTCOMES = ['planned', 'passed', 'passed_with_findings', 'failed', 'cancelled'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

// Compile-time proof that the mirrored lists above equal the contracts' own.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const mirrors: [
  Same<(typeof PERSONNEL_CATEGORIES)[number], PersonnelCategory>,
  Same<(typeof ROLES)[number], Role>,
  Same<(typeof TOKEN_SCOPES)[number], TokenScope>,
  Same<CompanyStatus, import('../../../../src/modules/org/org.contract.ts').CompanyDto['status']>,
  Same<ImplementationStatus, SoaEntryDto['status']>,
  Same<EffectiveStatus, SoaEntryDto['effectiveStatus']>,
  Same<AppliedControlStatus, AppliedControlDto['status']>,
  Same<EvidenceState, EvidenceDto['state']>,
  Same<CertificationStatus, CertificationDto['status']>,
  Same<AuditKind, CertificationAuditDto['kind']>,
  Same<AuditOutcome, CertificationAuditDto['outcome']>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void mirrors;

// Information assets: wire types from the contract, value lists mirrored (and proved equal below).
export type {
  AssetDto,
  AssetGraph,
  AssetImportReport,
  AssetScaleDto,
  AssetSummary,
  BulkUpdateResult,
  GraphNode,
  RelationDto,
} from '../../../../src/modules/assets/assets.contract.ts';
type Assets = typeof import('../../../../src/modules/assets/assets.contract.ts');
export type AssetType = z.infer<Assets['AssetTypeSchema']>;
export type Lifecycle = z.infer<Assets['LifecycleSchema']>;
export type RelationKind = z.infer<Assets['RelationKindSchema']>;
export type PersonalDataCategory = z.infer<Assets['PersonalDataCategorySchema']>;
export type CreateAssetInput = z.input<Assets['CreateAssetSchema']>;
export type UpdateAssetInput = z.input<Assets['UpdateAssetSchema']>;
export type BulkUpdateInput = z.input<Assets['BulkUpdateSchema']>;

export const ASSET_TYPES = [
  'information',
  'personal_information',
  'software',
  'hardware',
  'service',
  'network',
  'site',
  'people',
  'supplier',
] as const;
export const LIFECYCLE_STATES = ['planned', 'in_use', 'retired', 'disposed'] as const;
export const RELATION_KINDS = ['runs_on', 'stores', 'depends_on', 'supplied_by'] as const;
export const PERSONAL_DATA_CATEGORIES = [
  'basic_identity',
  'contact',
  'financial',
  'payment_card',
  'government_id',
  'special_care',
  'employment',
  'location',
  'online_identifier',
  'communications',
  'other',
] as const;
export const SCALE_LEVELS = [3, 4] as const;
/** The import's columns, for the template and the help text. */
export const ASSET_CSV_COLUMNS = [
  'company_code',
  'asset_code',
  'name',
  'asset_type',
  'description',
  'department_code',
  'owner_employee_number',
  'custodian_employee_number',
  'location',
  'lifecycle',
  'confidentiality',
  'integrity',
  'availability',
  'personal_data',
  'personal_data_categories',
  'personal_record_count',
  'pci_scope',
  'specified_user_info',
] as const;

const assetMirrors: [
  Same<(typeof ASSET_TYPES)[number], AssetType>,
  Same<(typeof LIFECYCLE_STATES)[number], Lifecycle>,
  Same<(typeof RELATION_KINDS)[number], RelationKind>,
  Same<(typeof PERSONAL_DATA_CATEGORIES)[number], PersonalDataCategory>,
  Same<(typeof SCALE_LEVELS)[number], z.infer<Assets['ScaleLevelsSchema']>>,
  Same<(typeof ASSET_CSV_COLUMNS)[number], Assets['ASSET_CSV_COLUMNS'][number]>,
] = [true, true, true, true, true, true];
void assetMirrors;

// Risks: wire types from the contract, value lists mirrored (and proved equal below).
export type {
  CatalogueItemDto,
  CatalogueKind,
  DueRisks,
  Heatmap,
  ListRisksQuery,
  RiskDto,
  RiskMethodDto,
  RiskSource,
  TaskDto,
  Treatment,
  Trend,
  TrendPoint,
} from '../../../../src/modules/risks/risks.contract.ts';
type Risks = typeof import('../../../../src/modules/risks/risks.contract.ts');
export type SetRiskMethodInput = z.input<Risks['SetRiskMethodSchema']>;
export type CreateRiskInput = z.input<Risks['CreateRiskSchema']>;
export type UpdateRiskInput = z.input<Risks['UpdateRiskSchema']>;
export type AcceptRiskInput = z.input<Risks['AcceptRiskSchema']>;
export type CreateCatalogueItemInput = z.input<Risks['CreateCatalogueItemSchema']>;
export type UpdateCatalogueItemInput = z.input<Risks['UpdateCatalogueItemSchema']>;

export const TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const CATALOGUE_KINDS = ['threat', 'vulnerability'] as const;
export const RISK_SOURCE_KINDS = [
  'asset',
  'requirement',
  'email-domain',
  'dmarc',
  'incident',
  'vulnerability',
] as const;
export type RiskSourceKind = (typeof RISK_SOURCE_KINDS)[number];

const riskMirrors: [
  Same<(typeof TREATMENTS)[number], Risks['TREATMENTS'][number]>,
  Same<(typeof CATALOGUE_KINDS)[number], Risks['CATALOGUE_KINDS'][number]>,
  Same<RiskSourceKind, Risks['RISK_SOURCE_KINDS'][number]>,
] = [true, true, true];
void riskMirrors;

// Email authentication (anti-phishing): wire types from the contract, the stored posture report's shape from the
// module's pure lib (types only), value lists mirrored (and proved equal below).
export type {
  AlertDto,
  DmarcStage,
  EmailDomainDto,
  PostureDto,
  Regression,
  Rollup,
  RolloutBoard,
  ScanDetail,
  ScanDto,
} from '../../../../src/modules/email-auth/email-auth.contract.ts';
export type {
  CheckName,
  PostureReport,
  ReportDestination,
  ReportFinding,
} from '../../../../src/modules/email-auth/lib/posture.ts';
type EmailAuth = typeof import('../../../../src/modules/email-auth/email-auth.contract.ts');
export type CreateEmailDomainInput = z.input<EmailAuth['CreateEmailDomainSchema']>;
export type UpdateEmailDomainInput = z.input<EmailAuth['UpdateEmailDomainSchema']>;
export type DomainRole = z.infer<EmailAuth['DomainRoleSchema']>;
export type FindingSeverity = z.infer<EmailAuth['SeveritySchema']>;

export const DOMAIN_ROLES = ['sends', 'parked'] as const;
export const DMARC_STAGES = ['missing', 'none', 'quarantine', 'reject'] as const;
export const FINDING_SEVERITIES = ['info', 'warning', 'error'] as const;

const emailMirrors: [
  Same<(typeof DOMAIN_ROLES)[number], DomainRole>,
  Same<(typeof DMARC_STAGES)[number], EmailAuth['DMARC_STAGES'][number]>,
  Same<(typeof FINDING_SEVERITIES)[number], FindingSeverity>,
] = [true, true, true];
void emailMirrors;

// DMARC reports (aggregate and failure reports, their analysis): wire types from the contract.
export type {
  Analysis,
  CreateServiceInput,
  FailureReportDetail,
  FailureReportDto,
  ImportResult,
  ReadinessList,
  ReportDto,
  ServiceDto,
  SourceDto,
  Sources,
  UpdateServiceInput,
} from '../../../../src/modules/dmarc-reports/dmarc-reports.contract.ts';
type DmarcReports = typeof import('../../../../src/modules/dmarc-reports/dmarc-reports.contract.ts');
export type ImportedFileDto = z.infer<DmarcReports['ImportedFileDtoSchema']>;
export type ServiceList = z.infer<DmarcReports['ServiceListSchema']>;
export type DmarcReadiness = z.infer<DmarcReports['ReadinessSchema']>['domains'][number];
export type DmarcVerdict = DmarcReadiness['verdict'];

// Notifications: a user's own, their delivery preference, the group's webhook and the outbox.
export type {
  DeliveryDto,
  NotificationDto,
  PreferencesDto,
  WebhookSettingsDto,
} from '../../../../src/modules/notifications/notifications.contract.ts';
type Notifications = typeof import('../../../../src/modules/notifications/notifications.contract.ts');
export type NotificationChannel = z.infer<Notifications['ChannelSchema']>;
export type DeliveryStatus = z.infer<Notifications['DeliveryStatusSchema']>;
export type UpdateWebhookSettingsInput = z.input<Notifications['UpdateWebhookSettingsSchema']>;
export const NOTIFICATION_CHANNELS = ['in_app', 'email'] as const;
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;

const notificationMirrors: [
  Same<(typeof NOTIFICATION_CHANNELS)[number], NotificationChannel>,
  Same<(typeof DELIVERY_STATUSES)[number], DeliveryStatus>,
] = [true, true];
void notificationMirrors;
