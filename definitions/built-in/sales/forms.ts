import type { FieldSpec } from '../../types';

// The documents the seed names, as typed forms. Each step that fills one keeps the
// submission as a record of the same kind (see `record` on the steps).

/** 5.2 — acknowledgement of the overall plan, the sales manual and the positioning documents. */
export const planAcknowledgement: FieldSpec[] = [
  { name: 'overallPlanRead', label: '已学习《项目销售总体计划》 Overall plan studied', type: 'boolean', required: true },
  { name: 'salesManualRead', label: '已学习《销售手册》 Sales manual studied', type: 'boolean', required: true },
  { name: 'positioningRead', label: '已学习定位文件 Positioning documents studied', type: 'boolean', required: true },
  { name: 'questions', label: 'Questions', type: 'text', max: 2000 },
];

/** 5.3 a/b — a training session. */
export const trainingRecord: FieldSpec[] = [
  { name: 'sessions', label: 'Sessions held', type: 'integer', required: true, min: 1 },
  { name: 'topics', label: 'Topics', type: 'text', required: true, max: 4000 },
  { name: 'attendees', label: 'Attendees', type: 'integer', min: 0 },
];

/** 5.3 c — collaboration agreed with design, project management and property management. */
export const collaborationAgreement: FieldSpec[] = [
  { name: 'design', label: 'Design: contact, times, content', type: 'text', required: true },
  { name: 'projectManagement', label: 'Project management: contact, times, content', type: 'text', required: true },
  { name: 'propertyManagement', label: 'Property management: contact, times, content', type: 'text', required: true },
];

/** 5.3 d — competing projects visited, market studied. */
export const marketResearch: FieldSpec[] = [
  { name: 'competitors', label: 'Competing projects visited', type: 'list', min: 1 },
  { name: 'findings', label: 'Findings', type: 'text', required: true, max: 8000 },
];

/** 5.1 — the launch (开盘). */
export const launchRecord: FieldSpec[] = [
  { name: 'launchDate', label: 'Launch date', type: 'date', required: true },
  { name: 'notes', label: 'Notes', type: 'text' },
];

/** 5.4 — on-site reception of a visitor. */
export const receptionRecord: FieldSpec[] = [
  { name: 'needs', label: 'Needs', type: 'text', max: 4000 },
  { name: 'unitsShown', label: 'Units shown', type: 'list' },
  { name: 'decision', label: 'Buys now?', type: 'enum', options: ['buy', 'not-yet'], required: true },
];

/** 5.6 — 《到访客户意向登记表》 visitor intent registration. */
export const intentRegistration: FieldSpec[] = [
  { name: 'intentLevel', label: '意向程度 Intent level', type: 'enum', options: ['A', 'B', 'C'], required: true },
  { name: 'needs', label: 'Needs', type: 'text', required: true, max: 4000 },
  { name: 'budget', label: 'Budget', type: 'money', min: 0 },
  {
    name: 'source',
    label: 'Source',
    type: 'enum',
    options: ['walk-in', 'referral', 'online', 'event', 'advertising', 'other'],
    required: true,
  },
  { name: 'nextContactAt', label: 'Next contact (default by intent level)', type: 'datetime' },
];

/** 5.6 — 《客户跟踪档案》 one entry of the customer follow-up file. */
export const followUpEntry: FieldSpec[] = [
  { name: 'result', label: 'Result', type: 'enum', options: ['continue', 'buy', 'lost'], required: true },
  { name: 'notes', label: 'Notes', type: 'text', required: true, max: 4000 },
  { name: 'intentLevel', label: 'Intent level now', type: 'enum', options: ['A', 'B', 'C'] },
  { name: 'nextContactAt', label: 'Next contact', type: 'datetime' },
];

/** 5.5 — the deposit (预定金) and the unit it holds. */
export const depositReceipt: FieldSpec[] = [
  { name: 'unitId', label: '房源 Unit', type: 'unit', required: true },
  { name: 'amount', label: 'Deposit', type: 'money', required: true, min: 0.01 },
  { name: 'method', label: 'Paid by', type: 'enum', options: ['cash', 'card', 'transfer'], required: true },
];

/** 5.5 — 《认购书》 the subscription agreement, or its abandonment. */
export const subscriptionAgreement: FieldSpec[] = [
  { name: 'result', label: 'Result', type: 'enum', options: ['signed', 'abandoned'], required: true },
  { name: 'agreementNo', label: 'Agreement number', type: 'string', max: 50 },
  { name: 'price', label: 'Price', type: 'money', min: 0 },
  { name: 'reason', label: 'Reason (if abandoned)', type: 'text' },
];

/** 5.5 — the deposit refund of an abandoned subscription. */
export const depositRefund: FieldSpec[] = [
  { name: 'amount', label: 'Refunded', type: 'money', required: true, min: 0 },
  { name: 'method', label: 'Refunded by', type: 'enum', options: ['cash', 'card', 'transfer'], required: true },
];

/** 5.5 — 《成交客户档案》 the deal-customer archive. */
export const dealArchive: FieldSpec[] = [
  { name: 'customerName', label: 'Customer', type: 'string', required: true },
  { name: 'phone', label: 'Phone', type: 'string', required: true },
  { name: 'paymentPlan', label: 'Payment plan', type: 'enum', options: ['full', 'mortgage', 'instalments'], required: true },
  { name: 'notes', label: 'Notes', type: 'text' },
];

/** 5.5 — handover to the sales service team. */
export const handoverRecord: FieldSpec[] = [
  { name: 'receivedBy', label: 'Received by', type: 'string', required: true },
  { name: 'notes', label: 'Notes', type: 'text' },
];

/** 5.7 — 《到访、成交客户分析》 visitor and deal analysis. */
export const visitorDealAnalysis: FieldSpec[] = [
  { name: 'visitors', label: 'Visitors', type: 'integer', required: true, min: 0 },
  { name: 'deals', label: 'Deals', type: 'integer', required: true, min: 0 },
  { name: 'byChannel', label: 'By channel', type: 'text' },
  { name: 'byCustomerType', label: 'By customer type', type: 'text' },
  { name: 'findings', label: 'Findings', type: 'text', required: true },
];

/** 5.7 — minutes of the customer meeting with marketing. */
export const meetingMinutes: FieldSpec[] = [
  { name: 'attendees', label: 'Attendees', type: 'list', min: 1 },
  { name: 'minutes', label: 'Minutes', type: 'text', required: true },
];

/** 5.8 — an effectiveness brief (advertising, events or packaging). */
export const effectivenessBrief: FieldSpec[] = [
  { name: 'spend', label: 'Spend', type: 'money', min: 0 },
  { name: 'leads', label: 'Leads', type: 'integer', min: 0 },
  { name: 'assessment', label: 'Assessment', type: 'text', required: true },
];

/** 5.9 — 《项目销售总结》 (phase) the phase sales summary with corrective measures. */
export const phaseSummary: FieldSpec[] = [
  { name: 'summary', label: 'Summary', type: 'text', required: true },
  { name: 'productAnalysis', label: 'Product sales analysis', type: 'text' },
  { name: 'correctiveMeasures', label: 'Corrective measures', type: 'text', required: true },
  { name: 'adjustPlan', label: 'Adjust the phase plan?', type: 'boolean', required: true },
];

/** 5.9 — the adjusted phase sales plan. */
export const adjustedPhasePlan: FieldSpec[] = [
  { name: 'plan', label: 'Adjusted phase plan', type: 'text', required: true },
  { name: 'reasons', label: 'Reasons', type: 'text', required: true },
];

/** 5.9 — the GM's and management's decision on it. */
export const planDecision: FieldSpec[] = [
  { name: 'comments', label: 'Comments, revisions, additions', type: 'text' },
  { name: 'plan', label: 'Revised plan', type: 'text' },
];

/** 5.9 — the construction-schedule adjustment. */
export const scheduleAdjustment: FieldSpec[] = [
  { name: 'changes', label: 'Schedule changes', type: 'text', required: true },
  { name: 'milestones', label: 'New milestones', type: 'text' },
];

/** 5.9 — the sales team's check that the schedule now supports sales. */
export const scheduleCheck: FieldSpec[] = [
  { name: 'supportsSales', label: 'Supports the sales plan', type: 'boolean', required: true },
  { name: 'notes', label: 'Notes', type: 'text' },
];

/** 5.10 — next-phase promotion direction. */
export const promotionDirection: FieldSpec[] = [
  { name: 'direction', label: 'Direction', type: 'text', required: true },
  { name: 'milestones', label: 'Construction milestones used', type: 'text' },
];

/** 5.10 — the agency's phase marketing strategy and plan (营销推广方案). */
export const phaseMarketingPlan: FieldSpec[] = [
  { name: 'agency', label: 'Agency', type: 'string', required: true },
  { name: 'strategy', label: 'Strategy', type: 'text', required: true },
  { name: 'plan', label: 'Plan', type: 'text', required: true },
  { name: 'budget', label: 'Budget', type: 'money', min: 0 },
];

/** 5.10 — a reviewer's decision on the marketing plan. */
export const reviewComments: FieldSpec[] = [{ name: 'comments', label: 'Comments and revisions', type: 'text' }];

/** 5.11 — one execution item. */
export const executionRecord: FieldSpec[] = [
  { name: 'done', label: 'What was done', type: 'text', required: true },
  { name: 'spend', label: 'Spend', type: 'money', min: 0 },
];

/** 5.11 — the sales team's completeness check. */
export const completenessCheck: FieldSpec[] = [
  { name: 'complete', label: 'Complete', type: 'boolean', required: true },
  { name: 'gaps', label: 'Gaps', type: 'text' },
];

/** 5.12 — the next phase plan put into execution. */
export const phaseStart: FieldSpec[] = [{ name: 'notes', label: 'Notes', type: 'text' }];

/** 5.13 — 《项目销售总结》 (final) the close-out summary. */
export const closeOutSummary: FieldSpec[] = [
  { name: 'summary', label: 'Summary', type: 'text', required: true },
  { name: 'lessons', label: 'Lessons for future projects', type: 'text', required: true },
];

// Version 2 of the reception and subscription forms, and the order documents (issue 10).

/** 5.6 — one entry of the follow-up file, with how the contact was made. */
export const followUpEntryV2: FieldSpec[] = [
  { name: 'channel', label: '方式 How', type: 'enum', options: ['visit', 'phone', 'wechat', 'other'], required: true },
  ...followUpEntry,
];

/** 5.5 — 《认购书》 v2: unit, buyers, price, payment method, deposit credited, signing deadline, number; all required when signed. */
export const subscriptionAgreementV2: FieldSpec[] = [
  { name: 'result', label: 'Result', type: 'enum', options: ['signed', 'abandoned'], required: true },
  { name: 'agreementNo', label: '认购书编号 Agreement number', type: 'string', max: 50 },
  {
    name: 'buyers',
    label: '买受人 Buyers',
    type: 'list',
    max: 5,
    of: [
      { name: 'name', label: 'Name', type: 'string', required: true, max: 100 },
      { name: 'idNumber', label: '身份证号 ID number', type: 'string', required: true, max: 30 },
      { name: 'phone', label: 'Phone', type: 'string', required: true, max: 30 },
    ],
  },
  { name: 'price', label: '认购价 Price', type: 'money', min: 0 },
  { name: 'paymentMethod', label: '付款方式 Payment method', type: 'enum', options: ['full', 'instalments', 'mortgage'] },
  { name: 'depositCredited', label: '定金转房款 Deposit credited', type: 'money', min: 0 },
  { name: 'signingDeadline', label: '签约期限 Sign the contract by', type: 'date' },
  { name: 'reason', label: 'Reason (if abandoned)', type: 'text' },
];

/** 5.5 — 《成交客户档案》 v2: who bought and why. */
export const dealArchiveV2: FieldSpec[] = [
  { name: 'household', label: '家庭结构 Household', type: 'string', required: true, max: 200 },
  { name: 'occupation', label: '职业 Occupation', type: 'string', required: true, max: 100 },
  { name: 'ageBand', label: '年龄段 Age band', type: 'enum', options: ['<25', '25-34', '35-44', '45-54', '55+'], required: true },
  {
    name: 'motive',
    label: '购房动机 Motive',
    type: 'enum',
    options: ['first-home', 'upgrade', 'investment', 'school', 'parents', 'other'],
    required: true,
  },
  { name: 'notes', label: 'Notes', type: 'text' },
];

/** 签约 — the contract's terms: agreed price, payment method, instalments adding up to the price. */
export const contractTerms: FieldSpec[] = [
  { name: 'agreedPrice', label: '成交价 Agreed price', type: 'money', required: true, min: 0.01 },
  { name: 'paymentMethod', label: '付款方式 Payment method', type: 'enum', options: ['full', 'instalments', 'mortgage'], required: true },
  {
    name: 'instalments',
    label: '付款计划 Payment schedule',
    type: 'list',
    min: 1,
    max: 24,
    required: true,
    of: [
      { name: 'dueDate', label: 'Due', type: 'datetime', required: true },
      { name: 'amount', label: 'Amount', type: 'money', required: true, min: 0.01 },
    ],
  },
];

/** 签约 — the signature. */
export const contractSignature: FieldSpec[] = [
  { name: 'contractNo', label: '合同编号 Contract number', type: 'string', required: true, max: 50 },
  { name: 'signedAt', label: 'Signed on', type: 'date', required: true },
];

/** 回款 — the receipt of one instalment. */
export const paymentReceipt: FieldSpec[] = [
  { name: 'amount', label: 'Received', type: 'money', required: true, min: 0.01 },
  { name: 'method', label: 'Paid by', type: 'enum', options: ['transfer', 'card', 'cash', 'mortgage-loan'], required: true },
  { name: 'paidAt', label: 'Paid on', type: 'date' },
];

/** An approver's decision with a comment. */
export const approvalComment: FieldSpec[] = [{ name: 'comment', label: 'Comment', type: 'text' }];

/** 退订/退房 — the refund paid out. */
export const refundPayment: FieldSpec[] = [
  { name: 'amount', label: 'Refunded', type: 'money', required: true, min: 0 },
  { name: 'method', label: 'Refunded by', type: 'enum', options: ['cash', 'card', 'transfer'], required: true },
];

/** 售后 — who takes the case. */
export const serviceAssignment: FieldSpec[] = [
  { name: 'assigneeId', label: 'Handled by (user id)', type: 'string', required: true, max: 100 },
  { name: 'notes', label: 'Notes', type: 'text' },
];

/** 售后 — how the case was resolved. */
export const serviceResolution: FieldSpec[] = [
  { name: 'resolution', label: 'Resolution', type: 'text', required: true, max: 4000 },
  { name: 'customerSatisfied', label: 'Customer satisfied', type: 'boolean' },
];

// ---- Version 2 of the procedure's documents (issue: the procedure as the seed writes it).

/** One phase of the overall plan with its targets. */
const planPhase: FieldSpec[] = [
  { name: 'name', label: '阶段 Phase', type: 'string', required: true, max: 100 },
  { name: 'units', label: '目标套数 Target units', type: 'integer', required: true, min: 0 },
  { name: 'amount', label: '目标金额 Target amount', type: 'money', required: true, min: 0 },
  { name: 'from', label: '开始 From', type: 'date' },
  { name: 'to', label: '结束 To', type: 'date' },
];

/**
 * 5.1 — 《项目销售总体计划》 the overall sales plan as a typed document: phases with
 * their targets, the price strategy and the marketing budget. It is the launch's
 * input and what the general manager approves before the launch begins.
 */
export const overallPlan: FieldSpec[] = [
  { name: 'overallPlan', label: '《项目销售总体计划》 Overall sales plan (title and version)', type: 'string', required: true, max: 200 },
  { name: 'annualUnits', label: '年度目标套数 Annual target units', type: 'integer', required: true, min: 1 },
  { name: 'annualAmount', label: '年度目标金额 Annual target amount', type: 'money', required: true, min: 0 },
  { name: 'planPhases', label: '阶段目标 Phases and their targets', type: 'list', required: true, min: 1, max: 24, of: planPhase },
  { name: 'priceStrategy', label: '价格策略 Price strategy', type: 'text', required: true, max: 4000 },
  { name: 'marketingBudget', label: '营销费用预算 Marketing budget', type: 'money', required: true, min: 0 },
  { name: 'team', label: '销售团队成员 Team members (user ids)', type: 'list', min: 1, required: true },
];

/** 5.1 — the general manager's decision on the overall plan (revisions go back to the supervisor). */
export const overallPlanDecision: FieldSpec[] = [{ name: 'comments', label: '审批意见 Comments', type: 'text', max: 4000 }];

/** 5.1 — the supervisor's revision of the overall plan after the GM sent it back. */
export const overallPlanRevision: FieldSpec[] = [
  { name: 'changes', label: '修改内容 What was changed', type: 'text', required: true, max: 4000 },
  { name: 'priceStrategy', label: '价格策略 Price strategy', type: 'text', max: 4000 },
  { name: 'marketingBudget', label: '营销费用预算 Marketing budget', type: 'money', min: 0 },
];

/** 5.7 — 《到访、成交客户分析》 with the figures the seed names: by channel, customer type and intent level. */
export const visitorDealAnalysisV2: FieldSpec[] = [
  { name: 'visitors', label: '到访客户 Visitors', type: 'integer', required: true, min: 0 },
  { name: 'registrations', label: '意向登记 Registrations', type: 'integer', required: true, min: 0 },
  { name: 'deals', label: '成交客户 Deals', type: 'integer', required: true, min: 0 },
  { name: 'byChannel', label: '按渠道 By channel', type: 'text' },
  { name: 'byCustomerType', label: '按客户类型 By customer type', type: 'text' },
  { name: 'byIntentLevel', label: '按意向程度 By intent level', type: 'text' },
  { name: 'findings', label: '分析结论 Findings', type: 'text', required: true },
];

/** The period a brief covers. */
const briefPeriod: FieldSpec[] = [
  { name: 'periodFrom', label: '起 Period from', type: 'date', required: true },
  { name: 'periodTo', label: '止 Period to', type: 'date', required: true },
];

/** What every effectiveness brief measures: spend against the leads and deals it brought. */
const briefResults: FieldSpec[] = [
  { name: 'spend', label: '费用 Spend', type: 'money', required: true, min: 0 },
  { name: 'leads', label: '来电来访 Leads', type: 'integer', required: true, min: 0 },
  { name: 'deals', label: '成交 Deals', type: 'integer', required: true, min: 0 },
  { name: 'costPerLead', label: '单个来访成本 Cost per lead', type: 'money', min: 0 },
  { name: 'assessment', label: '效果评估 Assessment', type: 'text', required: true, max: 8000 },
];

/** 5.8 — 《广告效果分析小结》 advertising: which media ran. */
export const advertisingBrief: FieldSpec[] = [
  ...briefPeriod,
  { name: 'media', label: '投放媒体 Media', type: 'list', required: true, min: 1 },
  ...briefResults,
];

/** 5.8 — 《活动推广效果分析小结》 events: which events were held. */
export const eventBrief: FieldSpec[] = [
  ...briefPeriod,
  { name: 'events', label: '推广活动 Events', type: 'list', required: true, min: 1 },
  { name: 'attendance', label: '参与人数 Attendance', type: 'integer', min: 0 },
  ...briefResults,
];

/** 5.8 — 《包装效果分析小结》 packaging: which items (site signage, show flat, sales office). */
export const packagingBrief: FieldSpec[] = [
  ...briefPeriod,
  { name: 'items', label: '包装项目 Items', type: 'list', required: true, min: 1 },
  ...briefResults,
];

/**
 * 5.9 — the adjusted phase plan. The annual overall plan stays unchanged (the seed:
 * "在年度总体计划不变的情况下"), so the form has no annual totals to change: only
 * the phase's targets, measures and the reasons.
 */
export const adjustedPhasePlanV2: FieldSpec[] = [
  { name: 'plan', label: '调整后的阶段性销售计划 Adjusted phase plan', type: 'text', required: true, max: 8000 },
  { name: 'phaseUnits', label: '阶段目标套数 Phase target units', type: 'integer', min: 0 },
  { name: 'phaseAmount', label: '阶段目标金额 Phase target amount', type: 'money', min: 0 },
  { name: 'measures', label: '修正性措施 Corrective measures', type: 'text', required: true, max: 8000 },
  { name: 'reasons', label: '调整原因 Reasons', type: 'text', required: true, max: 8000 },
];

/** 5.9 → 5.10 — marketing takes the confirmed adjustment into its next plan. */
export const adjustmentAdoption: FieldSpec[] = [
  { name: 'consequences', label: '对营销推广的影响 What it changes for marketing', type: 'text', required: true, max: 8000 },
];

/** 5.10 — marketing's own review of the agency's plan before it proposes it. */
export const agencyPlanReview: FieldSpec[] = [
  { name: 'assessment', label: '审核意见 Assessment', type: 'text', required: true, max: 8000 },
  { name: 'changes', label: '要求修改 Changes asked of the agency', type: 'text', max: 8000 },
];

/** 5.13 — the final summary, linked to the overall plan and the phase summaries it draws on. */
export const closeOutSummaryV2: FieldSpec[] = [
  { name: 'summary', label: '项目销售总结 Summary', type: 'text', required: true, max: 20000 },
  { name: 'againstPlan', label: '与总体计划对比 Results against the overall plan', type: 'text', required: true, max: 8000 },
  { name: 'phaseSummaries', label: '引用的阶段总结 Phase summaries drawn on (record ids)', type: 'list' },
  { name: 'lessons', label: '经验教训 Lessons for future projects', type: 'text', required: true, max: 8000 },
];
