//! Keeping a group's workspace current: a whole reload on request, and for
//! each applied change (here or in another session) a read of only what it
//! touched. A province group has 17 000 trainees: a changed trainee is read
//! again and moved to its place in each order, not re-sorted with the rest.

use super::{GroupScreen, Tab, columns};
use crate::registry::{self, RecordKind};
use crate::tui::ctx::Ctx;
use crate::tui::model::{self, Detail};

impl GroupScreen {
    /// Reads everything shown again, keeping the tab, selections and filters.
    pub fn reload(&mut self, ctx: &mut Ctx) {
        let reader = ctx.reader();
        let ledger_read = self.data.ledger_read;
        let read = model::workspace(&reader, self.data.project).and_then(|mut data| {
            if ledger_read {
                model::read_ledger(&reader, &mut data)?;
            }
            Ok(data)
        });
        match read {
            Ok(data) => {
                self.data = data;
                for tab in Tab::ALL {
                    self.resort(tab, ctx.lang);
                }
                self.details = Detail::default();
            }
            Err(e) => ctx.error(&e),
        }
        self.load_detail(ctx);
    }

    pub fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        let project = self.data.project;
        let mut touched = [false; Tab::ALL.len()];
        for c in changes
            .iter()
            .filter(|c| c.project.is_none_or(|p| p == project))
        {
            // What each kind of record shows on: a school's decision opens
            // or closes its account, the plan's budget is the ledger's too;
            // a result shows in its trainee's details only.
            let tabs: &[Tab] = match c.kind {
                RecordKind::Trainee => {
                    if let Err(e) = self.trainee_changed(c.id, ctx) {
                        return ctx.error(&e);
                    }
                    &[]
                }
                RecordKind::Coach | RecordKind::Person => &[Tab::Coaches],
                RecordKind::School => &[Tab::Schools, Tab::Ledger],
                RecordKind::Entry => &[Tab::Ledger],
                RecordKind::Cycle => &[Tab::Plans, Tab::Ledger],
                RecordKind::Session | RecordKind::Class | RecordKind::Attendance => {
                    &[Tab::Calendar]
                }
                RecordKind::Assessment
                | RecordKind::User
                | RecordKind::Achievement
                | RecordKind::Development
                | RecordKind::Group => &[],
            };
            for tab in tabs {
                touched[tab.index()] = true;
            }
        }
        let reader = ctx.reader();
        let r = &reader;
        let today = ctx.today;
        let result = (|| {
            if touched[Tab::Coaches.index()] {
                model::read_coaches(r, &mut self.data, today)?;
            }
            if touched[Tab::Schools.index()] {
                model::read_schools(r, &mut self.data)?;
            }
            // The ledger's budget against actual is the plan's budget: the
            // plans are read before the ledger.
            if touched[Tab::Plans.index()] {
                model::read_cycles(r, &mut self.data)?;
            }
            if touched[Tab::Ledger.index()] {
                if self.data.ledger_read {
                    model::read_ledger(r, &mut self.data)?;
                } else {
                    model::count_ledger(r, &mut self.data)?;
                }
            }
            if touched[Tab::Calendar.index()] || touched[Tab::Coaches.index()] {
                model::read_calendar(r, &mut self.data)?;
            }
            Ok::<_, crate::store::StoreError>(())
        })();
        if let Err(e) = result {
            return ctx.error(&e);
        }
        for tab in Tab::ALL {
            if touched[tab.index()] {
                self.resort(tab, ctx.lang);
            }
        }
        // The history of the selected record may have grown.
        self.details = Detail::default();
        self.load_detail(ctx);
    }

    /// Reads trainee `id` again and puts its row where the sort wants it.
    fn trainee_changed(&mut self, id: u64, ctx: &mut Ctx) -> Result<(), crate::store::StoreError> {
        let Some(t) = ctx.reader().trainee(id)? else {
            return Ok(());
        };
        if t.project != self.data.project {
            return Ok(());
        }
        let key = model::trainee_key(&t, ctx.today);
        let d = &mut self.data;
        // Keys not made yet are made from the rows at the first filter.
        let keys = d.trainee_keys.get_mut();
        let row = match d.trainees.iter().position(|x| x.id == id) {
            Some(row) => {
                d.trainees[row] = t;
                if let Some(k) = keys.and_then(|k| k.get_mut(row)) {
                    *k = key;
                }
                row
            }
            None => {
                d.trainees.push(t);
                if let Some(k) = keys {
                    k.push(key);
                }
                d.trainees.len() - 1
            }
        };
        self.place(Tab::Trainees, row, ctx);
        Ok(())
    }

    /// Moves data row `row` of `tab` to its sorted place in the order, by a
    /// binary search over the other rows' sort keys, then filters again.
    fn place(&mut self, tab: Tab, row: usize, ctx: &Ctx) {
        let i = tab.index();
        let (col, reverse) = (self.tables[i].sort, self.tables[i].reverse);
        let column = &columns::columns(tab)[col];
        let sort = |d: &_, r, lang| column.sort(d, r, lang);
        let mut order = std::mem::take(&mut self.tables[i].order);
        order.retain(|&r| r != row);
        let key = sort(&self.data, row, ctx.lang);
        // A stable sort puts equal keys in data order; so does this.
        let at = order.partition_point(|&r| {
            let other = sort(&self.data, r, ctx.lang);
            if reverse {
                other > key || (other == key && r > row)
            } else {
                other < key || (other == key && r < row)
            }
        });
        order.insert(at, row);
        self.tables[i].order = order;
        self.refresh_rows(tab);
    }
}
