export const scoring = {
  scoring: {
    level: {
      GOOD: 'GOOD',
      NORMAL: 'NORMAL',
      BAD: 'BAD',
      INSUFFICIENT_DATA: 'Insufficient data',
    },
    /** Touch tiers inside a sentence: "among 12 high-touch accounts". */
    tier: {
      high: 'high-touch',
      low: 'low-touch',
      tech: 'tech-touch',
    },
    measure: {
      engagement: { title: 'Engagement per seat', name: 'engagement per seat' },
      trend: { title: 'Activity trend', name: 'activity trend' },
      breadth: { title: 'Breadth', name: 'breadth' },
      supportLoad: { title: 'Support load', name: 'support load' },
      selfService: { title: 'Deflection rate', name: 'deflection rate' },
      events: { title: 'Events attended', name: 'events attended' },
      sentiment: { title: 'Sentiment (NPS)', name: 'NPS' },
      onboarding: { title: 'Onboarding', name: 'onboarding' },
    },
    reason: {
      engagement: {
        no_seats: 'Engagement per seat: the account has no seat count',
        none: 'Engagement per seat: no member of the account has engagement points',
        ranked_one: 'Engagement per seat: {{perSeat}} points, the {{rank}} percentile among {{peers}} {{tier}} account',
        ranked_other:
          'Engagement per seat: {{perSeat}} points, the {{rank}} percentile among {{peers}} {{tier}} accounts',
      },
      trend: {
        none: 'No activity in the last {{days}} days or the {{days}} before',
        started: 'Activity started: {{recent}} points in the last {{days}} days, none in the {{days}} before',
        fell: 'Activity fell {{percent}}% against the previous {{days}} days ({{previous}} → {{recent}} points)',
        rose: 'Activity rose {{percent}}% against the previous {{days}} days ({{previous}} → {{recent}} points)',
        steady: 'Activity held steady against the previous {{days}} days ({{previous}} → {{recent}} points)',
      },
      breadth: {
        no_seats: 'Breadth: the account has no seat count',
        ratio_one: 'Breadth: {{active}} of {{seats}} seat active in the last {{days}} days ({{percent}}%)',
        ratio_other: 'Breadth: {{active}} of {{seats}} seats active in the last {{days}} days ({{percent}}%)',
      },
      support_load: {
        no_seats: 'Support load: the account has no seat count',
        quiet: 'Support load: no tickets, but no activity either in the last {{days}} days',
        none: 'No tickets filed in the last {{days}} days',
        zero_median_one:
          '{{tickets}} ticket in the last {{days}} days ({{perSeat}} per seat), while most {{tier}} accounts filed none',
        zero_median_other:
          '{{tickets}} tickets in the last {{days}} days ({{perSeat}} per seat), while most {{tier}} accounts filed none',
        ratio_one:
          '{{tickets}} ticket in the last {{days}} days, {{perSeat}} per seat: {{ratio}}× the {{tier}} median of {{median}}',
        ratio_other:
          '{{tickets}} tickets in the last {{days}} days, {{perSeat}} per seat: {{ratio}}× the {{tier}} median of {{median}}',
      },
      self_service: {
        none: 'Deflection rate: no tickets or deflections in the last {{days}} days',
        ratio:
          'Deflection rate: {{deflections}} of {{total}} requests for help solved without a ticket in the last {{days}} days ({{percent}}%)',
      },
      events: {
        none: 'No member attended an event in the last {{days}} days',
        attended_one: "{{count}} event attendance by the account's members in the last {{days}} days",
        attended_other: "{{count}} event attendances by the account's members in the last {{days}} days",
      },
      sentiment: {
        none: 'No event survey answers in the last {{days}} days',
        few_one: 'Only {{count}} event survey answer in the last {{days}} days; NPS needs {{min}}',
        few_other: 'Only {{count}} event survey answers in the last {{days}} days; NPS needs {{min}}',
        nps_one:
          'NPS {{nps}} from {{count}} event survey answer in the last {{days}} days (promoters: {{promoters}}, detractors: {{detractors}})',
        nps_other:
          'NPS {{nps}} from {{count}} event survey answers in the last {{days}} days (promoters: {{promoters}}, detractors: {{detractors}})',
      },
      onboarding: {
        not_applicable: "Onboarding is measured only in an account's first {{window}} days",
        too_early: 'Onboarding: no activity yet, {{left}} of the first {{days}} days left',
        active_one: 'Onboarding: {{count}} activity in the first {{days}} days',
        active_other: 'Onboarding: {{count}} activities in the first {{days}} days',
        silent: "Onboarding: no activity in the account's first {{days}} days",
      },
      silent: 'No activity for {{days}} days after being active: BAD whatever the other measures say',
    },
    /** A measure's value with its unit, in "breadth dropped from 42% to 9%". */
    value: {
      engagement: 'the {{rank}} percentile',
      trend: '{{value}}%',
      breadth: '{{value}}%',
      supportLoad: '{{value}} tickets per seat',
      selfService: '{{value}}%',
      events: '{{value}}',
      sentiment: '{{value}}',
      onboarding: '{{value}} activities',
    },
    change: {
      since: '{{level}} since {{date}}',
      since_detail: '{{level}} since {{date}}: {{detail}}',
      dropped: '{{measure}} dropped from {{from}} to {{to}}',
      rose: '{{measure}} rose from {{from}} to {{to}}',
      went: '{{measure}} went from {{from}} to {{to}}',
      silent: 'all activity stopped',
    },
    summary: {
      line: '{{level}}: {{items}}',
      separator: '; ',
      insufficient: '{{level}}: measures with data carry {{percent}}% of the weight ({{min}}% needed)',
      too_new_one: '{{level}}: the account is {{count}} day old; it is judged after its first {{days}} days',
      too_new_other: '{{level}}: the account is {{count}} days old; it is judged after its first {{days}} days',
      silent: 'no activity for {{days}} days',
      engagement: 'engagement at the {{rank}} percentile',
      trend_fell: 'activity fell {{percent}}%',
      trend_rose: 'activity rose {{percent}}%',
      trend_steady: 'activity steady',
      trend_started: 'activity started',
      breadth: 'breadth {{percent}}%',
      support_load: '{{value}} tickets per seat',
      self_service: 'deflection rate {{percent}}%',
      events_one: '{{count}} event attendance',
      events_other: '{{count}} event attendances',
      sentiment: 'NPS {{value}}',
      onboarding_silent: 'no activity in the first {{days}} days',
      onboarding_active: 'active in the first {{days}} days',
    },
    play: {
      with_note: '{{reason}} {{note}}',
      champion_note_one: '{{count}} of their members is a champion: start with them.',
      champion_note_other: '{{count}} of their members are champions: start with them.',
      csm_call: {
        title: 'CSM 1:1 call',
        reason: 'BAD and high touch: the CSM books a 1:1 call to hear what is not working.',
      },
      workshop_invite: {
        title: 'Invite to the next workshop',
        reason: "BAD and low touch: invite the account's members to the next workshop to get them going again.",
      },
      send_searched_articles: {
        title: 'Send the help articles they searched for',
        reason: 'BAD and tech touch: send the help articles their members searched for.',
      },
      csm_review: {
        title: 'Success review with the CSM',
        reason: 'NORMAL and high touch: the CSM reviews goals and usage with the account before it slips.',
      },
      office_hours_invite: {
        title: 'Invite to office hours',
        reason: 'NORMAL and low touch: invite the members to office hours or a webinar on what they use least.',
      },
      tips_email: {
        title: 'Send tips for what they use',
        reason: 'NORMAL and tech touch: send tips and community answers that match what their members use.',
      },
      case_study: {
        title: 'Ask for a case study or referral',
        reason_one: 'GOOD, with {{count}} champion among its members: ask for a case study or a referral.',
        reason_other: 'GOOD, with {{count}} champions among its members: ask for a case study or a referral.',
      },
      grow_champions: {
        title: 'Grow a champion',
        reason: 'GOOD, without a champion yet: invite the most active members to answer questions in the community.',
      },
      onboarding_check_in: {
        title: 'Onboarding check-in',
        reason: 'Too little data to judge: check how onboarding is going and how the members are getting started.',
      },
    },
  },
}
