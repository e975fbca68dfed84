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
      breadthChange: { title: 'Breadth against its own past', name: 'breadth against its own past' },
      champions: { title: 'Champion loss', name: 'champion loss' },
      supportLoad: { title: 'Support load', name: 'support load' },
      ticketSurge: { title: 'Ticket surge', name: 'ticket surge' },
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
        none: 'No activity in the last {{days}} days or the {{days}} before (holidays not counted)',
        started:
          'Activity started: {{recent}} points in the last {{days}} days, none in the {{days}} before (holidays not counted)',
        fell: "Activity fell {{percent}}% against the previous {{days}} days ({{previous}} → {{recent}} points; holidays and each span's quietest week not counted)",
        rose: "Activity rose {{percent}}% against the previous {{days}} days ({{previous}} → {{recent}} points; holidays and each span's quietest week not counted)",
        steady:
          'Activity held steady against the previous {{days}} days ({{previous}} → {{recent}} points; holidays not counted)',
      },
      breadth: {
        no_seats: 'Breadth: the account has no seat count',
        ratio_one:
          'Breadth: {{active}} of {{seats}} seat active in the last {{days}} days, holidays not counted ({{percent}}%)',
        ratio_other:
          'Breadth: {{active}} of {{seats}} seats active in the last {{days}} days, holidays not counted ({{percent}}%)',
      },
      breadth_change: {
        young:
          'Breadth against its own past: the account is too young to compare with {{ago}} days ago (holidays not counted)',
        few_one:
          'Breadth against its own past: {{before}} member was active {{ago}} days ago (holidays not counted); {{min}} are needed to compare',
        few_other:
          'Breadth against its own past: {{before}} members were active {{ago}} days ago (holidays not counted); {{min}} are needed to compare',
        fell_one:
          'Breadth fell {{percent}}% against its own past: {{now}} member active in the last {{days}} days, {{before}} in as many days {{ago}} days earlier (holidays not counted)',
        fell_other:
          'Breadth fell {{percent}}% against its own past: {{now}} members active in the last {{days}} days, {{before}} in as many days {{ago}} days earlier (holidays not counted)',
        rose_one:
          'Breadth rose {{percent}}% against its own past: {{now}} member active in the last {{days}} days, {{before}} in as many days {{ago}} days earlier (holidays not counted)',
        rose_other:
          'Breadth rose {{percent}}% against its own past: {{now}} members active in the last {{days}} days, {{before}} in as many days {{ago}} days earlier (holidays not counted)',
        steady_one:
          'Breadth held against its own past: {{now}} member active in the last {{days}} days, {{before}} in as many days {{ago}} days earlier (holidays not counted)',
        steady_other:
          'Breadth held against its own past: {{now}} members active in the last {{days}} days, {{before}} in as many days {{ago}} days earlier (holidays not counted)',
      },
      champions: {
        none: 'Champion loss: too few contributions in the {{baseline}} days before the last {{silent}} to tell who carries the account (holidays not counted)',
        all_quiet:
          'Champion loss: nobody in the account has been active in the last {{silent}} days, holidays not counted (the silence rule judges that)',
        kept_one:
          '{{names}}, who gave {{share}}% of {{account}} contributions in the {{baseline}} days before the last {{silent}}, is still active (holidays not counted)',
        kept_other:
          '{{names}}, who gave {{share}}% of {{account}} contributions in the {{baseline}} days before the last {{silent}}, are still active (holidays not counted)',
        lost_one:
          '{{names}}, who gave {{share}}% of {{account}} contributions in the {{baseline}} days before, has been silent for {{weeks}} while others stay active (holidays not counted)',
        lost_other:
          '{{names}}, who gave {{share}}% of {{account}} contributions in the {{baseline}} days before, have been silent for {{weeks}} while others stay active (holidays not counted)',
        name: '{{name}}',
        name_latin: '{{name}}',
        weeks_one: '{{count}} week',
        weeks_other: '{{count}} weeks',
        days_one: '{{count}} day',
        days_other: '{{count}} days',
      },
      support_load: {
        quiet: 'Support load: no tickets, but no activity either in the last {{days}} days',
        none: 'No tickets filed in the last {{days}} days',
        zero_median_one:
          '{{tickets}} ticket in the last {{days}} days ({{perMember}} per active member), while most {{tier}} accounts filed none',
        zero_median_other:
          '{{tickets}} tickets in the last {{days}} days ({{perMember}} per active member), while most {{tier}} accounts filed none',
        ratio_one:
          '{{tickets}} ticket in the last {{days}} days, {{perMember}} per active member: {{ratio}}× the {{tier}} median of {{median}}',
        ratio_other:
          '{{tickets}} tickets in the last {{days}} days, {{perMember}} per active member: {{ratio}}× the {{tier}} median of {{median}}',
      },
      ticket_surge: {
        young: 'Ticket surge: the account is too young to compare with its previous {{baseline}} days',
        none: 'No tickets in the last {{days}} days or the {{baseline}} days before',
        few_one: '{{count}} ticket in the last {{days}} days: fewer than {{min}}, no surge',
        few_other: '{{count}} tickets in the last {{days}} days: fewer than {{min}}, no surge',
        ratio_one:
          '{{count}} ticket in the last {{days}} days against {{expected}} expected at the rate of the {{baseline}} days before, per active member ({{ratio}}×)',
        ratio_other:
          '{{count}} tickets in the last {{days}} days against {{expected}} expected at the rate of the {{baseline}} days before, per active member ({{ratio}}×)',
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
        none: 'No survey answers in the last {{days}} days',
        nps_one:
          'NPS {{nps}} from {{count}} survey answer in the last {{days}} days, recent answers weighing more (promoters: {{promoters}}, detractors: {{detractors}})',
        nps_other:
          'NPS {{nps}} from {{count}} survey answers in the last {{days}} days, recent answers weighing more (promoters: {{promoters}}, detractors: {{detractors}})',
      },
      onboarding: {
        not_applicable: "Onboarding is measured only in an account's first {{window}} days",
        too_early: 'Onboarding: no activity yet, {{left}} of the first {{days}} days left',
        silent: "Onboarding: no activity in the account's first {{days}} days",
        due: 'Onboarding: {{met}} of 3 milestones in the first {{window}} days (members joined {{joined}} of {{joinedNeeded}}; days active {{activeDays}} of {{activeNeeded}}; a first question, answer or event: {{contributed}})',
        early:
          'Onboarding so far: {{met}} of 3 milestones, {{left}} of the first {{window}} days left (members joined {{joined}} of {{joinedNeeded}}; days active {{activeDays}} of {{activeNeeded}}; a first question, answer or event: {{contributed}})',
        yes: 'yes',
        no: 'not yet',
      },
      silent:
        'No activity for {{days}} days (holidays not counted) after being active: BAD whatever the other measures say',
      champion_lost: '{{detail}}: BAD whatever the other measures say',
      detractors_one:
        '{{count}} of {{answers}} in the last {{days}} days came from a detractor (0–6): {{level}} at best',
      detractors_other:
        '{{count}} of {{answers}} in the last {{days}} days came from detractors (0–6): {{level}} at best',
      /** The answers in the detractor sentence: "3 survey answers". */
      detractor_answers_one: '{{count}} survey answer',
      detractor_answers_other: '{{count}} survey answers',
    },
    /** A measure's value with its unit, in "breadth dropped from 42% to 9%". */
    value: {
      engagement: 'the {{rank}} percentile',
      trend: '{{value}}%',
      breadth: '{{value}}%',
      breadthChange: '{{value}}%',
      champions: '{{value}}% of contributions silent',
      supportLoad: '{{value}} tickets per active member',
      ticketSurge: '{{value}}× the usual tickets',
      selfService: '{{value}}%',
      events: '{{value}}',
      sentiment: '{{value}}',
      onboarding: '{{value}} of 3 milestones',
    },
    change: {
      since: '{{level}} since {{date}}',
      since_detail: '{{level}} since {{date}}: {{detail}}',
      dropped: '{{measure}} dropped from {{from}} to {{to}}',
      rose: '{{measure}} rose from {{from}} to {{to}}',
      went: '{{measure}} went from {{from}} to {{to}}',
      silent: 'all activity stopped',
      champion_lost: 'the members who carried the account went quiet',
      detractors: 'detractors in the surveys',
    },
    summary: {
      line: '{{level}}: {{items}}',
      held_one: '{{level}} for {{count}} day',
      held_other: '{{level}} for {{count}} days',
      pending: '{{current}}, moving to {{level}} ({{days}} of {{needed}} days)',
      separator: '; ',
      insufficient: '{{level}}: measures with data carry {{percent}}% of the weight ({{min}}% needed)',
      too_new_one: '{{level}}: the account is {{count}} day old; it is judged after its first {{days}} days',
      too_new_other: '{{level}}: the account is {{count}} days old; it is judged after its first {{days}} days',
      silent: 'no activity for {{days}} days',
      champion_lost: '{{names}} silent',
      detractors_one: '{{count}} recent detractor',
      detractors_other: '{{count}} recent detractors',
      engagement: 'engagement at the {{rank}} percentile',
      trend_fell: 'activity fell {{percent}}%',
      trend_rose: 'activity rose {{percent}}%',
      trend_steady: 'activity steady',
      trend_started: 'activity started',
      breadth: 'breadth {{percent}}%',
      breadth_change: 'breadth {{value}}% on its own past',
      champions: '{{percent}}% of contributions silent',
      support_load: '{{value}} tickets per active member',
      ticket_surge: '{{value}}× the usual tickets',
      self_service: 'deflection rate {{percent}}%',
      events_one: '{{count}} event attendance',
      events_other: '{{count}} event attendances',
      sentiment: 'NPS {{value}}',
      onboarding_silent: 'no activity in the first {{days}} days',
      onboarding_milestones: '{{met}} of 3 onboarding milestones',
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
      find_new_champion: {
        title: 'Reach the quiet champions, grow the next',
        reason:
          'The members who carried the account went quiet: ask them (or their manager) what changed, and bring the next most active member into the community programme.',
      },
      close_the_loop: {
        title: 'Call the detractors back',
        reason:
          'Several recent survey answers came from detractors: call them back within a week, fix what you can and tell them what changed.',
      },
    },
  },
}
